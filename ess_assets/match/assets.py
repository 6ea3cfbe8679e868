"""Match source records into suppliers, and build one golden record per supplier.

`marts.source_records`: every normalised record of every source, with its `supplier_id`.
`match.links`: scored pairs, with those a person should review; `match.decisions` holds the
reviewers' answers ('same' or 'different'), honoured on the next run.
`marts.suppliers`: one row per supplier, each field chosen by survivorship, with provenance.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets import incremental
from ess_assets.match.golden import golden_records
from ess_assets.match.group import DECISION_SCHEMA, anchors, match, record_key
from ess_assets.match.ids import EVENT_SCHEMA, assign_ids
from ess_assets.metadata import preview
from ess_assets.publish.privacy import strip_personal_contacts
from ess_assets.sources.registry import registry
from ess_assets.warehouse import read_table, table_exists, write_table

# Part of the match and golden fingerprints: change it when matching or survivorship changes.
MATCH_VERSION = "2026-12-03"
SOURCE_RECORDS = dg.AssetKey(["marts", "source_records"])
SUPPLIERS = dg.AssetKey(["marts", "suppliers"])
GOLDEN = dg.AssetKey(["match", "golden"])
LINKS = dg.AssetKey(["match", "links"])


def _staged(con) -> pl.DataFrame:
    frames = [
        read_table(con, f"staging.{source.name}")
        for source in registry()
        if table_exists(con, f"staging.{source.name}")
    ]
    return pl.concat(frames, how="vertical")


def _decisions(con) -> pl.DataFrame:
    """Confirmed decisions of reviewers (match.decisions), created empty on the first run."""
    if not table_exists(con, "match.decisions"):
        write_table(con, "match.decisions", pl.DataFrame(schema=DECISION_SCHEMA))
    return read_table(con, "match.decisions")


def _previous_ids(con) -> pl.DataFrame:
    if table_exists(con, "marts.source_records"):
        return read_table(con, "marts.source_records").select("record_key", "supplier_id")
    return pl.DataFrame(schema={"record_key": pl.String, "supplier_id": pl.String})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            SOURCE_RECORDS,
            description="Every normalised record of every source, with its supplier_id, the "
            "rule that put it there ('siret', 'name+address'..., 'singleton') and the score.",
            deps=[dg.AssetKey(["staging", source.name]) for source in registry()],
            kinds={"polars", "duckdb"},
        ),
        dg.AssetSpec(
            LINKS,
            description="Scored pairs of records: 'match' (linked), 'review' (just below the "
            "threshold: a person confirms or rejects it in match.decisions) and 'non-match' "
            "(kept apart by a rule despite a high score).",
            deps=[SOURCE_RECORDS],
            kinds={"duckdb"},
        ),
    ],
    group_name="match",
    pool="warehouse",
)
def source_records(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """Match every source's records into suppliers, keeping yesterday's supplier ids."""
    step, outputs = "marts.source_records", ["marts.source_records", "match.links"]
    with warehouse.get_connection() as con:
        decisions = _decisions(con)
        inputs = incremental.fingerprint(
            MATCH_VERSION,
            incremental.upstream(con, *(f"staging.{source.name}" for source in registry())),
            incremental.table_content(con, "match.decisions"),
        )
        skipped = incremental.skip(con, step, inputs, outputs)
    if skipped:
        context.log.info("no staging table and no decision changed: matching kept")
        for key in (SOURCE_RECORDS, LINKS):
            yield dg.MaterializeResult(asset_key=key, metadata=skipped.metadata)
        return
    with warehouse.get_connection() as con:
        records = _staged(con)
        result = match(records, decisions)
        ids, events = assign_ids(anchors(records, result.clusters), _previous_ids(con))
        clusters = result.clusters.rename({"record_id": "record_key"})
        linked = (
            records.with_columns(record_key=record_key())
            .join(clusters, on="record_key")
            .join(ids, on="cluster_key")
            .rename({"rule": "match_rule", "score": "match_score"})
            .drop("cluster_key")
        )
        links = result.links.rename({"record_id_l": "record_key_l", "record_id_r": "record_key_r"})
        write_table(con, "marts.source_records", linked)
        write_table(con, "match.links", links)
        write_table(con, "match.supplier_id_events", events.cast(EVENT_SCHEMA))
        incremental.remember(con, step, inputs, outputs)
    decisions = links.group_by("decision").len()
    context.log.info(
        f"{linked.height} records in {ids.height} suppliers; {events.height} merges or splits"
    )
    yield dg.MaterializeResult(
        asset_key=SOURCE_RECORDS,
        metadata={
            "dagster/row_count": linked.height,
            "suppliers": ids.height,
            "records_by_rule": preview(linked.group_by("match_rule").len(), rows=20),
            "merges": events.filter(pl.col("event") == "merge").height,
            "splits": events.filter(pl.col("event") == "split").height,
        },
    )
    yield dg.MaterializeResult(
        asset_key=LINKS,
        metadata={
            "dagster/row_count": links.height,
            "to_review": links.filter(pl.col("decision") == "review").height,
            "pairs_by_decision": preview(decisions, rows=5),
        },
    )


@dg.asset(
    key=GOLDEN,
    group_name="match",
    deps=[SOURCE_RECORDS],
    kinds={"polars", "duckdb"},
    pool="warehouse",
)
def golden(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """One row per supplier (one establishment), its fields chosen among its source records.

    Survivorship: the most trusted source with a value wins (registry priority), then the most
    complete record. `provenance` names the record (source:id) each value came from; lists of
    kinds, networks and sources gather every record. Personal e-mails and the phones that go
    with them are left out.
    """
    priorities = {source.name: source.priority for source in registry()}
    with warehouse.get_connection() as con:
        inputs = incremental.fingerprint(
            MATCH_VERSION,
            incremental.upstream(con, "marts.source_records"),
            sorted(priorities.items()),
        )
        if skipped := incremental.skip(con, "match.golden", inputs, ["match.golden"]):
            context.log.info("matching unchanged: golden records kept")
            return skipped
        records = read_table(con, "marts.source_records")
        public, removed = strip_personal_contacts(records)
        chosen = golden_records(public, priorities)
        write_table(con, "match.golden", chosen)
        incremental.remember(con, "match.golden", inputs, ["match.golden"])
    context.log.info(f"{chosen.height} suppliers from {records.height} records")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": chosen.height,
            "with_siret": chosen.get_column("siret").is_not_null().sum(),
            **removed,
            "preview": preview(chosen.select("supplier_id", "nom", "siret", "commune", "sources")),
        }
    )


@dg.asset_check(asset=SUPPLIERS, blocking=True, pool="warehouse")
def unique_supplier_id(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """Each supplier_id is one row of marts.suppliers."""
    with warehouse.get_connection() as con:
        rows, ids = con.execute(
            "SELECT count(*), count(DISTINCT supplier_id) FROM marts.suppliers"
        ).fetchall()[0]
    return dg.AssetCheckResult(passed=rows == ids, metadata={"rows": rows, "distinct_ids": ids})


@dg.asset_check(asset=SUPPLIERS, blocking=True, pool="warehouse")
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


ASSETS = [source_records, golden]
CHECKS = [unique_supplier_id, every_record_in_one_supplier]
