"""The daily run: ingest every source, then build and publish from the last good snapshots.

Two jobs, so that a failing partner fails only its own raw asset: the build job reads the
warehouse's raw tables (last good snapshot of every source) whatever the ingest run did.
The schedule starts `ingest` every morning; a sensor starts `build` when it ends.
"""

import dagster as dg

INGEST = "ingest"
BUILD = "build"

ingest_job = dg.define_asset_job(
    INGEST,
    selection=dg.AssetSelection.groups("sources"),
    description="Fetch every source and land it in raw tables.",
)
build_job = dg.define_asset_job(
    BUILD,
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("sources"),
    description="Normalise, match, enrich and publish from the last good raw snapshots.",
)

daily_schedule = dg.ScheduleDefinition(
    name="daily_ingest",
    job=ingest_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every morning at 06:00, Paris time: fetch every source.",
)


def _build_request(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    run = context.dagster_run
    return dg.RunRequest(run_key=f"after-{run.run_id}", tags={"ingest_run": run.run_id})


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=build_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def build_after_ingest(context: dg.RunStatusSensorContext):
    """Build and publish once every source was fetched."""
    return _build_request(context)


@dg.run_failure_sensor(
    monitored_jobs=[ingest_job],
    request_job=build_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def build_after_failed_ingest(context: dg.RunFailureSensorContext):
    """Build and publish even when a source failed: it stays at its last good snapshot."""
    context.log.warning(f"ingest run {context.dagster_run.run_id} failed: building anyway")
    return _build_request(context)
