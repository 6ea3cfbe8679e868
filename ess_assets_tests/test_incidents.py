"""A failed run becomes a row of ops.incidents and a webhook call."""

import json

import dagster as dg
import duckdb
import responses

from ess_assets.incidents import incident_of, incident_on_run_failure, record_incident
from ess_assets.settings import Settings

WEBHOOK = "https://hooks.example.org/ess"


@dg.op
def fetch_partner():
    raise ValueError("partner file has no SIRET column\nsecond line of detail")


@dg.job
def tiny_job():
    fetch_partner()


def _failed_run(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    result = tiny_job.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    return result


def _settings(tmp_path, webhook: str | None) -> Settings:
    env = {"ESS_WAREHOUSE": str(tmp_path / "warehouse.duckdb")}
    return Settings.from_env(env | ({"ESS_WEBHOOK_URL": webhook} if webhook else {}))


@responses.activate
def test_failed_run_recorded_and_posted(tmp_path):
    responses.post(WEBHOOK, json={"ok": True})
    settings = _settings(tmp_path, WEBHOOK)
    with dg.DagsterInstance.ephemeral() as instance:
        result = _failed_run(instance)
        failures = [event for event in result.all_events if event.is_step_failure]
        incident = incident_of(result.dagster_run, failures)
    record_incident(incident, settings)

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT job, failed_steps, errors, message FROM ops.incidents"
        ).fetchall()
    assert rows == [
        (
            "tiny_job",
            ["fetch_partner"],
            json.dumps({"fetch_partner": "ValueError: partner file has no SIRET column"}),
            incident.message,
        )
    ]
    assert "job tiny_job failed" in incident.message
    assert "fetch_partner: ValueError: partner file has no SIRET column" in incident.message
    assert len(responses.calls) == 1
    posted = json.loads(responses.calls[0].request.body)
    assert posted["job"] == "tiny_job" and posted["failed_steps"] == ["fetch_partner"]


def test_sensor_records_without_webhook(tmp_path, monkeypatch):
    settings = _settings(tmp_path, None)
    monkeypatch.setenv("ESS_WAREHOUSE", str(settings.warehouse))
    monkeypatch.delenv("ESS_WEBHOOK_URL", raising=False)
    with dg.DagsterInstance.ephemeral() as instance:
        result = _failed_run(instance)
        failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
        context = dg.build_run_status_sensor_context(
            sensor_name=incident_on_run_failure.name,
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        ).for_run_failure()
        incident_on_run_failure(context)

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rows = con.execute("SELECT job, failed_steps FROM ops.incidents").fetchall()
    assert rows == [("tiny_job", ["fetch_partner"])]


def test_stale_source_recorded_once_a_day(tmp_path, monkeypatch):
    from datetime import datetime, timedelta

    from ess_assets.incidents import stale_sources
    from ess_assets.sources.snapshots import log_good_fetch

    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("ESS_WAREHOUSE", str(warehouse))
    monkeypatch.delenv("ESS_WEBHOOK_URL", raising=False)
    now = datetime.now()
    with duckdb.connect(str(warehouse)) as con:
        for source, age in (("coorace", 36), ("fei", 1)):  # both expect a fetch every 35 days
            log_good_fetch(
                con,
                source=source,
                file_hash="h",
                fetched_at=now - timedelta(days=age),
                origin="test",
                snapshot=tmp_path / "s.csv",
                rows=1,
                unreadable=0,
            )
    context = dg.build_sensor_context()
    stale_sources(context)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT job, failed_steps FROM ops.incidents").fetchall()
    assert rows == [("freshness", ["raw/coorace"])]
    stale_sources(dg.build_sensor_context(cursor=context.cursor))  # same day: not told twice
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ops.incidents").fetchall() == [(1,)]
