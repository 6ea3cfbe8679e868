"""Assets placing and qualifying the suppliers (group "enrich")."""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets import incremental
from ess_assets.enrich.coordinates import addresses, locate
from ess_assets.enrich.geocache import CACHE_TABLE
from ess_assets.enrich.location import load_town_halls
from ess_assets.enrich.qualification import qualification as qualify_suppliers
from ess_assets.enrich.reference_assets import ENRICH_VERSION, SIRENE, references
from ess_assets.enrich.services import EnrichServices
from ess_assets.metadata import preview
from ess_assets.normalise.commune import DEFAULT_PATH as COMMUNES_REFERENCE
from ess_assets.resources import Folders
from ess_assets.sources.registry import registry
from ess_assets.warehouse import read_table, write_table

LOCATIONS = dg.AssetKey(["enrich", "locations"])
QUALIFICATION = dg.AssetKey(["enrich", "qualification"])


def town_halls() -> pl.DataFrame:
    """Town-hall coordinates of every commune and district, from the bundled communes reference.

    The same file the normalise step resolves `code_commune` with, whatever ESS_DATA_DIR says:
    a data folder holds the partners' files, not the national references (reading it from
    there failed every run on a folder without `reference/communes.csv`).
    """
    return load_town_halls(COMMUNES_REFERENCE)


def counts(frame: pl.DataFrame, column: str) -> dg.MetadataValue:
    return preview(frame.group_by(column).len().sort("len", descending=True), rows=20)


@dg.asset(key=LOCATIONS, group_name="enrich", deps=[SIRENE], kinds={"duckdb"}, pool="warehouse")
def locations(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBResource,
    folders: Folders,
    enrich_services: EnrichServices,
) -> dg.MaterializeResult:
    """enrich.locations: one row per supplier, its coordinates and their precision.

    `precision_coordonnees`: 'source' (partner's point, agreeing), 'housenumber' / 'street'
    (BAN answer accepted), 'commune' (town hall), 'aucune'. BAN is asked only when ESS_BAN_URL
    is set, and only for cleaned addresses absent from enrich.geocode_cache.
    """
    geocoder = enrich_services.geocoder()
    step = "enrich.locations"
    with warehouse.get_connection() as con:
        # The cache is read and filled by the step: its content after the step is remembered.
        def inputs() -> str:
            return incremental.fingerprint(
                ENRICH_VERSION,
                incremental.upstream(con, "match.golden", "enrich.sirene"),
                references(folders),
                incremental.table_content(con, CACHE_TABLE),
            )

        # With BAN configured, the step runs: addresses that failed yesterday are retried.
        if geocoder is None and (skipped := incremental.skip(con, step, inputs(), [step])):
            context.log.info("addresses unchanged: locations kept")
            return skipped
        places = addresses(read_table(con, "match.golden"), read_table(con, "enrich.sirene"))
        located = locate(places, town_halls(), geocoder, con)
        write_table(con, step, located)
        incremental.remember(con, step, inputs(), [step])
    commune = located.filter(pl.col("precision_coordonnees") == "commune").height
    context.log.info(
        f"{located.height} suppliers placed, {commune} at their town hall "
        f"({'BAN configured' if geocoder else 'offline: geocoding cache only'})"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": located.height,
            "geocoder": "BAN" if geocoder else "offline (cache only)",
            "by_precision": counts(located, "precision_coordonnees"),
            "by_geocode_status": counts(located, "geocode_status"),
            "share_commune_precision": round(commune / max(located.height, 1), 3),
            "preview": preview(located),
        }
    )


@dg.asset(key=QUALIFICATION, group_name="enrich", deps=[SIRENE], kinds={"duckdb"}, pool="warehouse")
def qualification(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, folders: Folders
) -> dg.MaterializeResult:
    """enrich.qualification: one row per supplier, its ESS family, agreements, reserved-contract
    articles (each with the reason it holds), CPV divisions and partner-network families.

    Evidence: SIRENE legal category and ESS flag (enrich.sirene), the legal form and structure
    kinds the partners gave, the families of the sources listing the supplier (registry).
    'inconnue' comes with why.
    """
    families = {source.name: source.family for source in registry()}
    step = "enrich.qualification"
    with warehouse.get_connection() as con:
        inputs = incremental.fingerprint(
            ENRICH_VERSION,
            incremental.upstream(con, "match.golden", "enrich.sirene"),
            references(folders),
            sorted(families.items()),
        )
        if skipped := incremental.skip(con, step, inputs, [step]):
            context.log.info("golden records and SIRENE reference unchanged: kept")
            return skipped
        golden = read_table(con, "match.golden")
        qualified = qualify_suppliers(golden, read_table(con, "enrich.sirene"), families)
        write_table(con, step, qualified)
        incremental.remember(con, step, inputs, [step])
    with_articles = qualified.filter(pl.col("marches_reserves").list.len() > 0).height
    context.log.info(f"{qualified.height} suppliers qualified, {with_articles} for reserved ones")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": qualified.height,
            "by_family": counts(qualified, "famille_ess"),
            "with_agreement": qualified.filter(pl.col("agrements").list.len() > 0).height,
            "with_reserved_contracts": with_articles,
            "without_cpv": qualified.filter(pl.col("cpv_divisions").list.len() == 0).height,
            "preview": preview(
                qualified.select("supplier_id", "famille_ess", "famille_ess_raison")
            ),
        }
    )
