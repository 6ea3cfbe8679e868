"""Assets of the SIRENE reference and of SIRET finding (group "enrich")."""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets import incremental
from ess_assets.enrich.naf_cpv import NAF_CPV_PATH
from ess_assets.enrich.recherche_cache import CACHE_TABLE, Lookups, lookup_missing, read_cache
from ess_assets.enrich.reference import (
    FIELDS,
    load_stock,
    supplier_reference,
    with_found_sirets,
)
from ess_assets.enrich.services import EnrichServices
from ess_assets.enrich.siret_finder import (
    ACCEPT_MARGIN,
    ACCEPT_SCORE,
    find_candidates,
    honour_reviews,
    reviewers_answers,
)
from ess_assets.match.assets import GOLDEN
from ess_assets.metadata import preview
from ess_assets.normalise.commune import DEFAULT_PATH as COMMUNES_REFERENCE
from ess_assets.resources import Folders
from ess_assets.warehouse import read_table, table_exists, write_table

SIRENE = dg.AssetKey(["enrich", "sirene"])
SIRET_CANDIDATES = dg.AssetKey(["match", "siret_candidates"])
# Part of every enrichment fingerprint: change it when an enrichment rule changes.
ENRICH_VERSION = "2026-12-04"


def references(folders: Folders) -> str:
    """Fingerprint of the reference files enrichment reads: the SIRENE stock files of
    <data>/enrich/, the bundled NAF-CPV tables and the communes (hashed every run: about a
    second per gigabyte of stock)."""
    return incremental.files(folders.data / "enrich", NAF_CPV_PATH.parent, COMMUNES_REFERENCE)


def filled_counts(frame: pl.DataFrame, fields: tuple[str, ...]) -> dict[str, int]:
    """Number of rows with each field filled (not null)."""
    return {f"filled_{field}": int(frame.get_column(field).is_not_null().sum()) for field in fields}


def _sirene_inputs(con, folders: Folders) -> str:
    """What enrich.sirene reads; the lookup cache it fills counts as it is after the step."""
    return incremental.fingerprint(
        ENRICH_VERSION,
        incremental.upstream(con, "match.golden", "match.siret_candidates"),
        references(folders),
        incremental.table_content(con, CACHE_TABLE),
    )


@dg.asset(
    key=SIRENE,
    group_name="enrich",
    deps=[GOLDEN, SIRET_CANDIDATES],
    kinds={"duckdb"},
    pool="warehouse",
)
def sirene(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBResource,
    folders: Folders,
    enrich_services: EnrichServices,
) -> dg.MaterializeResult:
    """enrich.sirene: one row per supplier with a SIRET, its SIRENE reference.

    Suppliers whose SIRET was found by name (match.siret_candidates, accepted) are included.
    Legal name, legal category, NAF, staff band, ESS and mission-company flags, active or
    closed (after following successions, `siret_successeur`), diffusion statuses. From the
    Recherche d'entreprises lookups when ESS_RECHERCHE_ENTREPRISES_URL is set (only SIRETs not
    yet in enrich.recherche_cache are asked), the SIRENE stock files in <data>/enrich/, and
    the partners' NAF code. Null means unknown: the bundled extract has no legal-unit columns.
    """
    client = enrich_services.recherche()
    step = "enrich.sirene"
    with warehouse.get_connection() as con:
        # With the API configured, the step runs: lookups that failed yesterday are retried.
        inputs = _sirene_inputs(con, folders)
        if client is None and (skipped := incremental.skip(con, step, inputs, [step])):
            context.log.info("golden records and SIRENE files unchanged: reference kept")
            return skipped
    stock, links = load_stock(folders.data / "enrich")
    with warehouse.get_connection() as con:
        golden = with_found_sirets(
            read_table(con, "match.golden"), read_table(con, "match.siret_candidates")
        )
        lookups = Lookups()
        if client is not None:
            sirets = golden.get_column("siret").drop_nulls().unique().to_list()
            lookups = lookup_missing(con, client, sirets)
        reference = supplier_reference(golden, stock, links, read_cache(con))
        write_table(con, step, reference)
        incremental.remember(con, step, _sirene_inputs(con, folders), [step])
    for error in lookups.errors[:5]:
        context.log.warning(f"Recherche d'entreprises lookup failed, retried next run: {error}")
    context.log.info(
        f"{reference.height} SIRETs described; {lookups.asked} looked up live "
        f"({'API configured' if client else 'no API configured'})"
    )
    origins = reference.group_by("origine_sirene").len().sort("origine_sirene")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": reference.height,
            "stock_establishments": stock.height,
            "live_lookups": lookups.asked,
            "live_found": lookups.found,
            "live_errors": len(lookups.errors),
            **filled_counts(reference, (*FIELDS, "siret_successeur")),
            "by_origin": preview(origins, rows=10),
            "note": "null fields are unknown: the bundled SIRENE extract has no legal-unit "
            "columns, no administrative state and no diffusion status",
            "preview": preview(reference),
        }
    )


@dg.asset(
    key=SIRET_CANDIDATES, group_name="enrich", deps=[GOLDEN], kinds={"duckdb"}, pool="warehouse"
)
def siret_candidates(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, folders: Folders
) -> dg.MaterializeResult:
    """match.siret_candidates: candidate SIRETs for the suppliers that have none.

    Found in the SIRENE stock by name (legal name or trading name) within the commune;
    `decision` 'accepted' (score and lead over the next candidate above the measured
    thresholds, used by enrich.sirene and marts.suppliers) or 'review' (for a person), and
    `decision_auto`, the machine's. A person answers by setting `decision` to 'accepted' or
    'rejected': the next run keeps the answer. The bundled extract has no names: with it, no
    candidate is found.
    """
    step = "match.siret_candidates"
    with warehouse.get_connection() as con:
        inputs = incremental.fingerprint(
            ENRICH_VERSION, incremental.upstream(con, "match.golden"), references(folders)
        )
        # Its own table is an input too: a reviewer's answer in it is a change.
        if skipped := incremental.skip(con, step, inputs, [step]):
            context.log.info("golden records, SIRENE files and answers unchanged: kept")
            return skipped
    stock, _ = load_stock(folders.data / "enrich")
    with warehouse.get_connection() as con:
        golden = read_table(con, "match.golden")
        without = golden.filter(pl.col("siret").is_null())
        previous = (
            read_table(con, "match.siret_candidates")
            if table_exists(con, "match.siret_candidates")
            else None
        )
        answered = reviewers_answers(previous).height
        candidates = honour_reviews(
            find_candidates(without, stock), previous, without.get_column("supplier_id")
        )
        write_table(con, step, candidates)
        incremental.remember(con, step, inputs, [step])
    accepted = candidates.filter(pl.col("decision") == "accepted").height
    named = stock.filter(pl.col("denomination").is_not_null()).height
    context.log.info(f"{without.height} suppliers without SIRET: {accepted} SIRETs accepted")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": candidates.height,
            "suppliers_without_siret": without.height,
            "accepted": accepted,
            "to_review": candidates.filter(pl.col("decision") == "review").height,
            "rejected": candidates.filter(pl.col("decision") == "rejected").height,
            "reviewers_answers_kept": answered,
            "reference_rows_with_a_name": named,
            "accept_score": ACCEPT_SCORE,
            "accept_margin": ACCEPT_MARGIN,
            "preview": preview(candidates),
        }
    )
