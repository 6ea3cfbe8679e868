"""Enrichment: fill the golden records' gaps, and publish them as `marts.suppliers`.

match.golden -> match.siret_candidates -> enrich.sirene -> enrich.locations and
enrich.qualification -> marts.suppliers -> enrich.gap_report. Outside services (Recherche
d'entreprises, BAN) are called only when configured (EnrichServices), and only for what their
caches do not hold yet. A step whose inputs did not change skips (incremental.py), except
the two calling a configured service, which retry what failed the day before.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets import incremental
from ess_assets.enrich import checks
from ess_assets.enrich.gaps import gap_report as build_gap_report
from ess_assets.enrich.gaps import overview
from ess_assets.enrich.qualify_assets import (
    LOCATIONS,
    QUALIFICATION,
    locations,
    qualification,
    town_halls,
)
from ess_assets.enrich.reference import with_found_sirets
from ess_assets.enrich.reference_assets import (
    ENRICH_VERSION,
    SIRENE,
    SIRET_CANDIDATES,
    references,
    sirene,
    siret_candidates,
)
from ess_assets.enrich.suppliers import SIRENE_COLUMNS, enriched_suppliers
from ess_assets.match.assets import GOLDEN, SUPPLIERS
from ess_assets.match.golden import SURVIVING
from ess_assets.metadata import preview
from ess_assets.resources import Folders
from ess_assets.warehouse import read_table, write_table

GAP_REPORT = dg.AssetKey(["enrich", "gap_report"])
ENRICHED_FROM = (
    "match.golden",
    "match.siret_candidates",
    "enrich.sirene",
    "enrich.locations",
    "enrich.qualification",
)
ADDED_COLUMNS = (
    "siret_origine",
    *SIRENE_COLUMNS,
    "precision_coordonnees",
    "familles_reseaux",
    "famille_ess",
    "famille_ess_raison",
    "agrements",
    "agrements_raison",
    "marches_reserves",
    "marches_reserves_raison",
    "cpv_divisions",
    "cpv_divisions_raison",
)
REPORTED_FIELDS = [
    *SURVIVING,
    "latitude",
    "longitude",
    "denomination",
    "categorie_juridique",
    "tranche_effectifs",
    "economie_sociale_solidaire",
    "societe_mission",
    "actif",
    "precision_coordonnees",
    "famille_ess",
    "agrements",
    "marches_reserves",
    "cpv_divisions",
]


@dg.asset(
    key=SUPPLIERS,
    group_name="enrich",
    deps=[GOLDEN, SIRET_CANDIDATES, SIRENE, LOCATIONS, QUALIFICATION],
    kinds={"polars", "duckdb"},
    pool="warehouse",
)
def suppliers(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, folders: Folders
) -> dg.MaterializeResult:
    """marts.suppliers: one row per supplier (one establishment), its golden record enriched.

    Golden fields (SIRET found by name where it had none), SIRENE fields, coordinates with
    `precision_coordonnees`, ESS family, agreements and reserved-contract articles with their
    reasons, CPV divisions. Establishments under partial diffusion ('P') lose address and point.
    """
    step = "marts.suppliers"
    with warehouse.get_connection() as con:
        inputs = incremental.fingerprint(
            ENRICH_VERSION,
            incremental.upstream(con, *ENRICHED_FROM),
            references(folders),
        )
        if skipped := incremental.skip(con, step, inputs, [step]):
            context.log.info("nothing it is built from changed: suppliers kept")
            return skipped
        golden = with_found_sirets(
            read_table(con, "match.golden"), read_table(con, "match.siret_candidates")
        )
        enriched = enriched_suppliers(
            golden,
            read_table(con, "enrich.sirene"),
            read_table(con, "enrich.locations"),
            read_table(con, "enrich.qualification"),
            town_halls(),
        )
        write_table(con, step, enriched)
        incremental.remember(con, step, inputs, [step])
    context.log.info(f"{enriched.height} suppliers enriched")
    shown = ("supplier_id", "nom", "famille_ess", "marches_reserves", "precision_coordonnees")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": enriched.height,
            "added_columns": ", ".join(ADDED_COLUMNS),
            "partial_diffusion": enriched.filter(
                pl.col("statut_diffusion_etablissement") == "P"
            ).height,
            "preview": preview(enriched.select(shown)),
        }
    )


@dg.asset(key=GAP_REPORT, group_name="enrich", deps=[SUPPLIERS], kinds={"duckdb"}, pool="warehouse")
def gap_report(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """enrich.gap_report: for each published field and each source (and 'toutes'), the share
    of suppliers having it in match.golden (avant) and in marts.suppliers (apres)."""
    step = "enrich.gap_report"
    with warehouse.get_connection() as con:
        inputs = incremental.fingerprint(
            ENRICH_VERSION, incremental.upstream(con, "match.golden", "marts.suppliers")
        )
        if skipped := incremental.skip(con, step, inputs, [step]):
            context.log.info("golden and enriched suppliers unchanged: gap report kept")
            return skipped
        report = build_gap_report(
            read_table(con, "match.golden"), read_table(con, "marts.suppliers"), REPORTED_FIELDS
        )
        write_table(con, step, report)
        incremental.remember(con, step, inputs, [step])
    gained = overview(report).filter(pl.col("apres") > pl.col("avant")).height
    context.log.info(f"gap report: {gained} fields better filled after enrichment")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": report.height,
            "fields_gained": gained,
            "all_sources": preview(overview(report), rows=len(REPORTED_FIELDS)),
            "per_source": preview(
                report.pivot("source", index="champ", values="apres"), rows=len(REPORTED_FIELDS)
            ),
        }
    )


ASSETS = [siret_candidates, sirene, locations, qualification, suppliers, gap_report]
CHECKS: list[dg.AssetChecksDefinition] = checks.CHECKS
