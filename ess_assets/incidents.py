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
