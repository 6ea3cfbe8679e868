"""Dagster resources: the warehouse and the folders the pipeline reads and writes."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ess_assets.enrich.services import EnrichServices
from ess_assets.publish.policy import PublicationPolicy
from ess_assets.settings import Settings
from ess_assets.sources.policy import IntakePolicy


class Folders(dg.ConfigurableResource):
    """Where bundled files are read, raw snapshots kept, published files and the analysts'
    copy of the warehouse written."""

    data_dir: str
    snapshot_dir: str
    export_dir: str
    analytics_file: str

    @property
    def data(self) -> Path:
        return Path(self.data_dir)

    @property
    def snapshots(self) -> Path:
        return Path(self.snapshot_dir)

    @property
    def export(self) -> Path:
        return Path(self.export_dir)

    @property
    def analytics(self) -> Path:
        return Path(self.analytics_file)


def make_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources every asset uses, built from the settings."""
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        "warehouse": DuckDBResource(
            database=str(settings.warehouse),
            connection_config={"memory_limit": settings.duckdb_memory},
        ),
        "folders": Folders(
            data_dir=str(settings.data_dir),
            snapshot_dir=str(settings.snapshot_dir),
            export_dir=str(settings.export_dir),
            analytics_file=str(settings.analytics_copy),
        ),
        "publication_policy": PublicationPolicy(max_drop=settings.max_drop),
        "intake_policy": IntakePolicy(max_drop=settings.source_max_drop),
        "enrich_services": EnrichServices(
            recherche_url=settings.recherche_url,
            recherche_per_second=settings.recherche_per_second,
            ban_url=settings.ban_url,
        ),
    }
