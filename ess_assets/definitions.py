"""The Dagster definitions of the ESS supplier hub: each step's module lists its own pieces."""

import dagster as dg

from ess_assets import jobs
from ess_assets.enrich import assets as enrich
from ess_assets.incidents import incident_on_run_failure, stale_sources
from ess_assets.match import assets as match
from ess_assets.normalise.assets import staging_assets
from ess_assets.publish import assets as publish
from ess_assets.publish.analytics_copy import analytics_warehouse
from ess_assets.resources import make_resources
from ess_assets.settings import Settings
from ess_assets.sources.assets import source_assets

TEAM = "team:data"


def _owned(spec: dg.AssetSpec) -> dg.AssetSpec:
    """Every asset has an owner in the UI: its own (a partner's sources), else the data team."""
    return spec if spec.owners else spec.replace_attributes(owners=[TEAM])


def build_definitions(settings: Settings) -> dg.Definitions:
    """Every asset, check, job, schedule and sensor, with resources built from `settings`."""
    return dg.Definitions(
        assets=dg.map_asset_specs(
            _owned,
            [
                *source_assets(),
                *staging_assets(),
                *match.ASSETS,
                *enrich.ASSETS,
                *publish.ASSETS,
                analytics_warehouse,
            ],
        ),
        asset_checks=[
            *match.CHECKS,
            *enrich.CHECKS,
            *publish.CHECKS,
        ],
        jobs=[jobs.ingest_job, jobs.build_job],
        schedules=[jobs.daily_schedule],
        sensors=[
            jobs.build_after_ingest,
            jobs.build_after_failed_ingest,
            incident_on_run_failure,
            stale_sources,
        ],
        resources=make_resources(settings),
    )


defs = build_definitions(Settings.from_env())
