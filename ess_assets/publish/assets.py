"""The open-data export: the published suppliers as CSV, Parquet and GeoJSON files."""

import json

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets.match.assets import SUPPLIERS
from ess_assets.normalise.contact import is_personal_email
from ess_assets.publish.files import BASENAME, write_export
from ess_assets.resources import Folders
from ess_assets.warehouse import read_table

EXPORT = dg.AssetKey(["export", BASENAME])


@dg.asset(key=EXPORT, group_name="publish", deps=[SUPPLIERS], kinds={"csv", "parquet"})
def opendata_ess(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, folders: Folders
) -> dg.MaterializeResult:
    """The files published on the open-data portal, one row per supplier.

    `opendata_ess.csv` (UTF-8, comma, one header row), `opendata_ess.parquet` and
    `opendata_ess.geojson` (WGS84 points; suppliers without coordinates are only left out of
    this one), in ESS_EXPORT_DIR. Each file is replaced atomically.
    """
    with warehouse.get_connection() as con:
        suppliers = read_table(con, "marts.suppliers")
    paths = write_export(suppliers, folders.export)
    located = suppliers.filter(pl.col("latitude").is_not_null()).height
    context.log.info(f"published {suppliers.height} suppliers in {folders.export}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": suppliers.height,
            "with_coordinates": located,
            **{kind: dg.MetadataValue.path(str(path)) for kind, path in paths.items()},
        }
    )


@dg.asset_check(asset=EXPORT, blocking=True)
def files_agree(folders: Folders) -> dg.AssetCheckResult:
    """The CSV and the Parquet file hold the same suppliers; the GeoJSON no more than them."""
    csv = pl.read_csv(folders.export / f"{BASENAME}.csv", infer_schema=False)
    parquet = pl.read_parquet(folders.export / f"{BASENAME}.parquet")
    features = json.loads((folders.export / f"{BASENAME}.geojson").read_text())["features"]
    csv_ids = set(csv.get_column("supplier_id"))
    passed = (
        csv_ids == set(parquet.get_column("supplier_id"))
        and {feature["id"] for feature in features} <= csv_ids
    )
    return dg.AssetCheckResult(
        passed=passed,
        metadata={"csv": csv.height, "parquet": parquet.height, "geojson": len(features)},
    )


@dg.asset_check(asset=EXPORT, blocking=True)
def no_personal_email(folders: Folders) -> dg.AssetCheckResult:
    """No e-mail in the published CSV identifies a person (only role addresses pass)."""
    csv = pl.read_csv(folders.export / f"{BASENAME}.csv", infer_schema=False)
    emails = csv.get_column("email").drop_nulls().to_list()
    personal = sorted({email for email in emails if is_personal_email(email)})
    return dg.AssetCheckResult(
        passed=not personal, metadata={"emails": len(emails), "personal": len(personal)}
    )


ASSETS = [opendata_ess]
CHECKS = [files_agree, no_personal_email]
