"""Checks of marts.suppliers and of the gap report: what must not be published, what to look at."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ess_assets.match.assets import SUPPLIERS

GAP_REPORT = dg.AssetKey(["enrich", "gap_report"])
MAX_COMMUNE_SHARE = 0.25  # above this, geocoding is probably off or failing


def _one(warehouse: DuckDBResource, sql: str) -> tuple:
    with warehouse.get_connection() as con:
        return con.execute(sql).fetchall()[0]


@dg.asset_check(asset=SUPPLIERS, blocking=True, pool="warehouse")
def every_supplier_qualified_and_placed(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """Every supplier has an ESS family with its reason, a coordinate precision, its
    reserved-contract articles and CPV divisions (lists, possibly empty, never null)."""
    rows, family, reason, precision, articles, cpv = _one(
        warehouse,
        "SELECT count(*), count(famille_ess), count(famille_ess_raison), "
        "count(precision_coordonnees), count(marches_reserves), count(cpv_divisions) "
        "FROM marts.suppliers",
    )
    missing = {
        "without_famille_ess": rows - family,
        "without_famille_ess_raison": rows - reason,
        "without_precision": rows - precision,
        "without_marches_reserves": rows - articles,
        "without_cpv_divisions": rows - cpv,
    }
    return dg.AssetCheckResult(passed=not any(missing.values()), metadata=missing)


@dg.asset_check(asset=SUPPLIERS, blocking=True, pool="warehouse")
def partial_diffusion_respected(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """No establishment under partial diffusion ('P') shows an address or a point finer than
    its commune's town hall."""
    exposed, partial = _one(
        warehouse,
        "SELECT count(*) FILTER (WHERE adresse IS NOT NULL "
        "OR precision_coordonnees NOT IN ('commune', 'aucune')), count(*) "
        "FROM marts.suppliers WHERE statut_diffusion_etablissement = 'P'",
    )
    return dg.AssetCheckResult(
        passed=exposed == 0, metadata={"partial": partial, "exposed": exposed}
    )


@dg.asset_check(asset=SUPPLIERS, blocking=False, pool="warehouse")
def commune_precision_share(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """WARN when more than 25 % of suppliers are placed only at their town hall."""
    commune, rows = _one(
        warehouse,
        "SELECT count(*) FILTER (WHERE precision_coordonnees = 'commune'), count(*) "
        "FROM marts.suppliers",
    )
    share = commune / max(rows, 1)
    return dg.AssetCheckResult(
        passed=share <= MAX_COMMUNE_SHARE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"commune_precision": commune, "share": round(share, 3)},
    )


@dg.asset_check(asset=GAP_REPORT, blocking=False, pool="warehouse")
def enrichment_loses_nothing(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """WARN when a field is less filled after enrichment than before (overall)."""
    (worse,) = _one(
        warehouse,
        "SELECT count(*) FROM enrich.gap_report WHERE source = 'toutes' AND apres < avant",
    )
    return dg.AssetCheckResult(
        passed=worse == 0, severity=dg.AssetCheckSeverity.WARN, metadata={"fields_worse": worse}
    )


CHECKS = [
    every_supplier_qualified_and_placed,
    partial_diffusion_respected,
    commune_precision_share,
    enrichment_loses_nothing,
]
