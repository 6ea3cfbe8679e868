"""Run failures, told to the person on call: the log, `ops.incidents`, and a webhook when set.

One incident per failed run: the job, the failed steps and the first line of each error. The
warehouse is opened only when a failure is recorded (never at import), and the webhook
(`ESS_WEBHOOK_URL`) receives the same message as JSON.
"""

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import dagster as dg
import duckdb

from ess_assets.http import make_session
from ess_assets.settings import Settings

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS ops.incidents (
    recorded_at TIMESTAMP WITH TIME ZONE,
    run_id VARCHAR,
    job VARCHAR,
    failed_steps VARCHAR[],
    errors VARCHAR,
    message VARCHAR
)
"""


@dataclass(frozen=True)
class Incident:
    run_id: str
    job: str
    failed_steps: list[str]
    errors: dict[str, str]  # step key (or "run") -> first line of its error
    message: str


def _summary(error) -> str:
    """The first line of the root error (Dagster wraps a step's exception in its own)."""
    while error is not None and error.cause is not None:
        error = error.cause
    text = (error.message if error is not None else "").strip()
    return text.splitlines()[0] if text else "no message"


def incident_of(run: dg.DagsterRun, failure_events: list[dg.DagsterEvent]) -> Incident:
    """The incident of a failed run, from its step failure events."""
    errors: dict[str, str] = {}
    for event in failure_events:
        data = event.step_failure_data
        error = data.error if data else None
        errors[event.step_key or "run"] = _summary(error) if error else event.message or ""
    failed = list(errors)
    details = "; ".join(f"{step}: {error}" for step, error in errors.items())
    message = (
        f"job {run.job_name} failed (run {run.run_id}): "
        f"{len(failed)} failed step(s): {details or 'the run failed before any step'}"
    )
    return Incident(run.run_id, run.job_name, failed, errors, message)


def record_incident(incident: Incident, settings: Settings) -> None:
    """Append the incident to `ops.incidents` and POST it to the webhook when one is set."""
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS ops")
        con.execute(CREATE_TABLE)
        con.execute(
            "INSERT INTO ops.incidents VALUES (?, ?, ?, ?, ?, ?)",
            [
                datetime.now(UTC),
                incident.run_id,
                incident.job,
                incident.failed_steps,
                json.dumps(incident.errors, ensure_ascii=False),
                incident.message,
            ],
        )
    if settings.webhook_url:
        session = make_session(retries=2, timeout=10)
        response = session.post(settings.webhook_url, json=asdict(incident))
        response.raise_for_status()


@dg.run_failure_sensor(default_status=dg.DefaultSensorStatus.RUNNING)
def incident_on_run_failure(context: dg.RunFailureSensorContext):
    """Record every failed run: a log line, a row of ops.incidents, and the webhook if set."""
    incident = incident_of(context.dagster_run, context.get_step_failure_events())
    context.log.error(incident.message)
    record_incident(incident, Settings.from_env())


def stale_source_incidents(settings: Settings, today: str) -> list[Incident]:
    """An incident per source whose last good fetch is older than its freshness expectation."""
    from ess_assets.sources.registry import registry  # the registry is read at tick time
    from ess_assets.sources.snapshots import last_good

    incidents = []
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        for source in registry():
            last = last_good(con, source.name)
            if last is None:
                continue
            age = datetime.now(UTC).replace(tzinfo=None) - last["fetched_at"]
            if age.days <= source.freshness_days:
                continue
            step = f"raw/{source.name}"
            error = (
                f"last good fetch {last['fetched_at']:%Y-%m-%d}, {age.days} days ago "
                f"(expected every {source.freshness_days} days); owner {source.owner}"
            )
            message = f"source {source.name} is stale: {error}"
            incidents.append(
                Incident(
                    f"stale-{source.name}-{today}", "freshness", [step], {step: error}, message
                )
            )
    return incidents


@dg.sensor(minimum_interval_seconds=3600, default_status=dg.DefaultSensorStatus.RUNNING)
def stale_sources(context: dg.SensorEvaluationContext):
    """Once a day per source: record (log, ops.incidents, webhook) every source gone stale.

    A source is stale when its last good fetch is older than its registry `freshness_days`:
    its members are still published from that snapshot, but someone should call its owner.
    """
    settings = Settings.from_env()
    if not settings.warehouse.exists():
        return dg.SkipReason("no warehouse yet")
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    told = set(json.loads(context.cursor)) if context.cursor else set()
    try:
        incidents = [i for i in stale_source_incidents(settings, today) if i.run_id not in told]
        for incident in incidents:
            context.log.warning(incident.message)
            record_incident(incident, settings)
            told.add(incident.run_id)
    except duckdb.IOException as error:  # a run holds the warehouse: try at the next tick
        return dg.SkipReason(f"warehouse busy: {error}")
    context.update_cursor(json.dumps(sorted(i for i in told if i.endswith(today))))
    return dg.SkipReason(f"{len(incidents)} stale source(s) recorded")
