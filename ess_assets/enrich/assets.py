"""Enrichment: fill the golden records' gaps, and publish them as `marts.suppliers`."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ess_assets.match.assets import GOLDEN, SUPPLIERS


@dg.asset(key=SUPPLIERS, group_name="enrich", deps=[GOLDEN], kinds={"duckdb"}, pool="warehouse")
def suppliers(warehouse: DuckDBResource) -> dg.MaterializeResult:
    """One row per supplier (one establishment): its golden record, enriched."""
    with warehouse.get_connection() as con:
        con.execute("CREATE OR REPLACE TABLE marts.suppliers AS SELECT * FROM match.golden")
        rows = con.execute("SELECT count(*) FROM marts.suppliers").fetchall()[0][0]
    return dg.MaterializeResult(metadata={"dagster/row_count": rows})


ASSETS = [suppliers]
CHECKS: list[dg.AssetChecksDefinition] = []
