"""One staging asset per source: its raw rows normalised into the common schema.

Writes `staging.<source>` (valid records) and `quarantine.<source>` (rows that could not be
normalised, or not read at all, with the reason). Read = normalised + quarantined, always.
"""

from datetime import UTC, datetime, timedelta

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets import incremental
from ess_assets.metadata import preview
from ess_assets.normalise.commune import default_index
from ess_assets.normalise.records import QUARANTINE_SCHEMA, to_records
from ess_assets.normalise.schema import COLUMNS, SupplierRecord
from ess_assets.sources import snapshots
from ess_assets.sources.registry import Source, registry
from ess_assets.warehouse import comment_columns, read_table, table_exists, write_table

INVALID_SIRET_WARN_SHARE = 0.05
# Part of every staging fingerprint: change it when normalisation changes, so that every
# source is normalised again on the next run even where its file did not change.
NORMALISE_VERSION = "2026-12-03"


def _unreadable(source: Source, frame: pl.DataFrame) -> pl.DataFrame:
    """Rows the reader could not read, in the quarantine's shape."""
    return frame.select(
        source=pl.lit(source.name),
        source_record_id=pl.format("L{}", "line"),
        source_line=pl.col("line"),
        reason=pl.format("unreadable row: {}", "reason"),
        raw=pl.col("text"),
    ).cast(QUARANTINE_SCHEMA)


def refresh_quarantine_view(con) -> None:
    """`quarantine.all_sources`: the quarantine of every source loaded so far, in one view."""
    names = [s.name for s in registry() if table_exists(con, f"quarantine.{s.name}")]
    union = " UNION ALL ".join(f"SELECT * FROM quarantine.{name}" for name in names)
    con.execute(f"CREATE OR REPLACE VIEW quarantine.all_sources AS {union}")


def build_staging_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=["staging", source.name],
        group_name="normalise",
        deps=[dg.AssetKey(["raw", source.name])],
        description=(
            f"Records of {source.title} in the common supplier schema: one row per source "
            "record that could be normalised. Rows that could not are in "
            f"`quarantine.{source.name}` with their reason."
        ),
        kinds={"polars", "duckdb"},
        tags={"family": source.family},
        pool="warehouse",
        check_specs=_check_specs(source),
    )
    def staging_source(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
        step = f"staging.{source.name}"
        with warehouse.get_connection() as con:
            if not table_exists(con, f"raw.{source.name}"):
                raise dg.Failure(f"raw.{source.name} has never been loaded: run its raw asset")
            last = snapshots.last_good(con, source.name)
            inputs = incremental.fingerprint(NORMALISE_VERSION, last and last["file_hash"])
            outputs = [step, f"quarantine.{source.name}"]
            if skipped := incremental.skip(con, step, inputs, outputs):
                context.log.info(f"{source.name}: raw file unchanged, staging kept as it was")
                yield skipped
                yield from _checks(con, source)
                return
            raw = read_table(con, f"raw.{source.name}")
            unreadable = read_table(con, f"raw.{source.name}_unreadable")
            normalised = to_records(source, raw, default_index())
            quarantine = pl.concat([_unreadable(source, unreadable), normalised.quarantine])
            write_table(con, f"staging.{source.name}", normalised.records)
            write_table(con, f"quarantine.{source.name}", quarantine)
            refresh_quarantine_view(con)
            comment_columns(
                con,
                f"staging.{source.name}",
                f"{source.title}: records in the common supplier schema",
                {column.name: column.meaning for column in COLUMNS},
            )
            incremental.remember(con, step, inputs, outputs)
            checked = list(_checks(con, source))
        records = normalised.records
        reasons = quarantine.group_by("reason").len().sort("len", descending=True)
        context.log.info(
            f"{source.name}: {raw.height + unreadable.height} rows read, {records.height} "
            f"normalised, {quarantine.height} quarantined"
        )
        yield dg.MaterializeResult(
            metadata={
                "dagster/row_count": records.height,
                "dagster/column_schema": dg.TableSchema(
                    columns=[
                        dg.TableColumn(c.name, str(records.schema[c.name]), description=c.meaning)
                        for c in COLUMNS
                    ]
                ),
                "rows_read": raw.height + unreadable.height,
                "rows_quarantined": quarantine.height,
                "quarantine_reasons": preview(reasons, rows=20),
                "invalid_sirets": records.filter(
                    pl.col("siret_source").is_not_null() & ~pl.col("siret_valide")
                ).height,
                "communes_resolved": records.get_column("code_commune").is_not_null().sum(),
                "preview": preview(records.select("nom", "siret", "type_structure", "commune")),
            }
        )
        yield from checked

    return staging_source


def _matches_schema(con, source: Source) -> dg.AssetCheckResult:
    # The staging step's stored fingerprint holds its table's content: a table that passed
    # as it is now is not validated again (pandera reads every row).
    step, table = f"check.matches_schema.{source.name}", f"staging.{source.name}"
    inputs = incremental.fingerprint(NORMALISE_VERSION, incremental.upstream(con, table))
    if since := incremental.unchanged_since(con, step, inputs, []):
        return dg.AssetCheckResult(
            passed=True,
            description=f"unchanged since it passed on {since:%Y-%m-%d %H:%M:%S} UTC",
            metadata={"skipped": True},
        )
    records = read_table(con, table)
    try:
        SupplierRecord.validate(records, lazy=True)
    except Exception as errors:  # SchemaErrors, or SchemaError for a whole-frame fault
        incremental.forget(con, step)
        return dg.AssetCheckResult(passed=False, description=str(errors)[:2000])
    incremental.remember(con, step, inputs)
    return dg.AssetCheckResult(passed=True)


def _few_invalid_sirets(con, source: Source) -> dg.AssetCheckResult:
    given, invalid = con.execute(
        f"SELECT count(siret_source), count(siret_source) FILTER (NOT siret_valide) "
        f"FROM staging.{source.name}"
    ).fetchall()[0]
    share = invalid / given if given else 0.0
    return dg.AssetCheckResult(
        passed=share <= INVALID_SIRET_WARN_SHARE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"sirets_given": given, "sirets_invalid": invalid, "share": share},
    )


def _nothing_quarantined(con, source: Source) -> dg.AssetCheckResult:
    reasons = con.sql(
        f"SELECT reason, count(*) AS rows FROM quarantine.{source.name} "
        "GROUP BY reason ORDER BY rows DESC"
    ).pl()
    total = int(reasons.get_column("rows").sum()) if reasons.height else 0
    return dg.AssetCheckResult(
        passed=total == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rows_quarantined": total, "reasons": preview(reasons, rows=20)},
    )


def _source_is_fresh(con, source: Source) -> dg.AssetCheckResult:
    last = snapshots.last_good(con, source.name)
    if last is None:
        return dg.AssetCheckResult(passed=False, description="never fetched")
    age = datetime.now(UTC).replace(tzinfo=None) - last["fetched_at"]
    return dg.AssetCheckResult(
        passed=age <= timedelta(days=source.freshness_days),
        severity=dg.AssetCheckSeverity.WARN,
        description=f"last good fetch {last['fetched_at']:%Y-%m-%d %H:%M} UTC",
        metadata={"age_days": age.days, "freshness_days": source.freshness_days},
    )


# name -> (check, blocking, description); they run in the staging asset's own step, as one
# Dagster step costs more than most of these checks (and a day with nothing new pays it 21 times)
STAGING_CHECKS = {
    "matches_schema": (
        _matches_schema,
        True,
        "Every stored record passes the pandera model of the common schema.",
    ),
    "few_invalid_sirets": (
        _few_invalid_sirets,
        False,
        "Warns when more than 5 % of the SIRETs a source gives fail the INSEE checks.",
    ),
    "nothing_quarantined": (
        _nothing_quarantined,
        False,
        "Warns when rows of the source went to quarantine: a person should look at them.",
    ),
    "source_is_fresh": (
        _source_is_fresh,
        False,
        "Warns when the source's last good fetch is older than its freshness expectation: "
        "its records are still published, from that last good snapshot.",
    ),
}


def _check_specs(source: Source) -> list[dg.AssetCheckSpec]:
    key = dg.AssetKey(["staging", source.name])
    return [
        dg.AssetCheckSpec(name, asset=key, blocking=blocking, description=description)
        for name, (_, blocking, description) in STAGING_CHECKS.items()
    ]


def _checks(con, source: Source):
    """The STAGING_CHECKS of the source's staging table, evaluated in its asset's step."""
    key = dg.AssetKey(["staging", source.name])
    for name, (check, _, _) in STAGING_CHECKS.items():
        yield check(con, source)._replace(asset_key=key, check_name=name)


def staging_assets() -> list[dg.AssetsDefinition]:
    return [build_staging_asset(source) for source in registry()]
