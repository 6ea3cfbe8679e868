"""Match source records into suppliers, and build one golden record per supplier.

`marts.source_records`: every normalised record of every source, with its `supplier_id`.
`marts.suppliers`: one row per supplier, each field chosen by survivorship, with provenance.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets.match.golden import golden_records
from ess_assets.match.group import group_by_siret, record_key
from ess_assets.match.ids import EVENT_SCHEMA, assign_ids
from ess_assets.metadata import preview
from ess_assets.publish.privacy import strip_personal_contacts
from ess_assets.sources.registry import registry
from ess_assets.warehouse import read_table, table_exists, write_table

SOURCE_RECORDS = dg.AssetKey(["marts", "source_records"])
SUPPLIERS = dg.AssetKey(["marts", "suppliers"])


def _staged(con) -> pl.DataFrame:
    frames = [
        read_table(con, f"staging.{source.name}")
        for source in registry()
        if table_exists(con, f"staging.{source.name}")
    ]
    return pl.concat(frames, how="vertical")


@dg.asset(
    key=SOURCE_RECORDS,
    group_name="match",
    deps=[dg.AssetKey(["staging", source.name]) for source in registry()],
    kinds={"polars", "duckdb"},
    pool="warehouse",
)
def source_records(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """Every normalised record of every source, with the supplier it belongs to.

    One row per source record: the common schema, plus `record_key` (source:id), `supplier_id`
    and `match_rule` (why the record is in its supplier: 'siret' or 'singleton').
    """
    with warehouse.get_connection() as con:
        records = _staged(con)
        previous = (
            read_table(con, "marts.source_records").select("record_key", "supplier_id")
            if table_exists(con, "marts.source_records")
            else pl.DataFrame(schema={"record_key": pl.String, "supplier_id": pl.String})
        )
        clusters = group_by_siret(records)
        ids, events = assign_ids(clusters, previous)
        linked = (
            records.with_columns(record_key=record_key())
            .join(clusters.select("record_key", "cluster_key", "rule"), on="record_key")
            .join(ids, on="cluster_key")
            .rename({"rule": "match_rule"})
            .drop("cluster_key")
        )
        write_table(con, "marts.source_records", linked)
        write_table(con, "marts.supplier_id_events", events.cast(EVENT_SCHEMA))
    context.log.info(
        f"{linked.height} records in {ids.height} suppliers; {events.height} merges or splits"
    )
    rules = linked.group_by("match_rule").len()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": linked.height,
            "suppliers": ids.height,
            "records_by_rule": preview(rules, rows=10),
            "merges": events.filter(pl.col("event") == "merge").height,
            "splits": events.filter(pl.col("event") == "split").height,
        }
    )


@dg.asset(
    key=SUPPLIERS,
    group_name="match",
    deps=[SOURCE_RECORDS],
    kinds={"polars", "duckdb"},
    pool="warehouse",
)
def suppliers(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """One row per supplier (one establishment), its fields chosen among its source records.

    Survivorship: the most trusted source with a value wins (registry priority), then the most
    complete record. `provenance` names the record (source:id) each value came from; lists of
    kinds, networks and sources gather every record. Personal e-mails and the phones that go
    with them are left out.
    """
    priorities = {source.name: source.priority for source in registry()}
    with warehouse.get_connection() as con:
        records = read_table(con, "marts.source_records")
        public, removed = strip_personal_contacts(records)
        golden = golden_records(public, priorities)
        write_table(con, "marts.suppliers", golden)
    context.log.info(f"{golden.height} suppliers from {records.height} records")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": golden.height,
            "with_siret": golden.get_column("siret").is_not_null().sum(),
            **removed,
            "preview": preview(golden.select("supplier_id", "nom", "siret", "commune", "sources")),
        }
    )


@dg.asset_check(asset=SUPPLIERS, blocking=True)
def unique_supplier_id(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """Each supplier_id is one row of marts.suppliers."""
    with warehouse.get_connection() as con:
        rows, ids = con.execute(
            "SELECT count(*), count(DISTINCT supplier_id) FROM marts.suppliers"
        ).fetchall()[0]
    return dg.AssetCheckResult(passed=rows == ids, metadata={"rows": rows, "distinct_ids": ids})


@dg.asset_check(asset=SUPPLIERS, blocking=True)
def every_record_in_one_supplier(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """Every source record points to exactly one existing supplier, and every supplier has one."""
    with warehouse.get_connection() as con:
        orphans, duplicated, empty = con.execute(
            """
            SELECT
              (SELECT count(*) FROM marts.source_records r
                 WHERE NOT EXISTS (SELECT 1 FROM marts.suppliers s
                                   WHERE s.supplier_id = r.supplier_id)),
              (SELECT count(*) FROM (SELECT record_key FROM marts.source_records
                                     GROUP BY record_key HAVING count(*) > 1)),
              (SELECT count(*) FROM marts.suppliers s
                 WHERE NOT EXISTS (SELECT 1 FROM marts.source_records r
                                   WHERE r.supplier_id = s.supplier_id))
            """
        ).fetchall()[0]
    return dg.AssetCheckResult(
        passed=orphans == duplicated == empty == 0,
        metadata={
            "records_without_supplier": orphans,
            "records_in_several_suppliers": duplicated,
            "suppliers_without_record": empty,
        },
    )


ASSETS = [source_records, suppliers]
CHECKS = [unique_supplier_id, every_record_in_one_supplier]
