"""The Dagster definitions of the ESS supplier hub."""

import dagster as dg

from ess_assets import jobs
from ess_assets.match.assets import (
    every_record_in_one_supplier,
    source_records,
    suppliers,
    unique_supplier_id,
)
from ess_assets.normalise.assets import staging_assets, staging_checks
from ess_assets.publish.assets import files_agree, no_personal_email, opendata_ess
from ess_assets.resources import make_resources
from ess_assets.settings import Settings
from ess_assets.sources.assets import source_assets


def build_definitions(settings: Settings) -> dg.Definitions:
    """Every asset, check, job, schedule and sensor, with resources built from `settings`."""
    return dg.Definitions(
        assets=[*source_assets(), *staging_assets(), source_records, suppliers, opendata_ess],
        asset_checks=[
            *staging_checks(),
            unique_supplier_id,
            every_record_in_one_supplier,
            files_agree,
            no_personal_email,
        ],
        jobs=[jobs.ingest_job, jobs.build_job],
        schedules=[jobs.daily_schedule],
        sensors=[jobs.build_after_ingest, jobs.build_after_failed_ingest],
        resources=make_resources(settings),
    )


defs = build_definitions(Settings.from_env())
