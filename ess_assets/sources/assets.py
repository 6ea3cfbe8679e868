"""One raw asset per registry entry: fetch the file, keep it, land it as text in `raw.<name>`.

A source that cannot be fetched or read, or whose file lost more than ESS_SOURCE_MAX_DROP of
the last good file's rows, fails its own asset and leaves `raw.<name>` as it was, so the build
job downstream keeps publishing its last good snapshot.
"""

from datetime import UTC, datetime, timedelta

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets.resources import Folders
from ess_assets.settings import Settings
from ess_assets.sources import snapshots
from ess_assets.sources.fetch import Fetched, FetchError, fetch_source
from ess_assets.sources.policy import IntakePolicy
from ess_assets.sources.read import ColumnsChanged, RawRead, SourceFileError, read_source
from ess_assets.sources.registry import Source, registry
from ess_assets.warehouse import table_exists, write_table

KINDS = {"csv": "csv", "json": "json", "xlsx": "excel"}


def record_ids(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.Series:
    """Each row's id in its source: its id columns joined by '-', else its line number.

    An id seen twice (one structure listed twice under one scheme) gets '#2', '#3'... in the
    order of the file, so ids are unique and stable while the file keeps its order.
    """
    line_id = pl.format("L{}", pl.col("_line"))
    if columns:
        parts = [pl.col(c).str.strip_chars().fill_null("") for c in columns]
        joined = pl.concat_str(parts, separator="-")
        base = pl.when(joined.str.replace_all("-", "") == "").then(line_id).otherwise(joined)
    else:
        base = line_id
    numbered = frame.select(base.alias("id")).with_columns(
        rank=pl.int_range(1, pl.len() + 1).over("id")
    )
    suffixed = pl.when(pl.col("rank") > 1).then(pl.format("{}#{}", "id", "rank"))
    return numbered.select(suffixed.otherwise(pl.col("id"))).to_series().alias("_source_record_id")


def _owners(source: Source) -> list[str]:
    """Owners in the form Dagster accepts (team:x or an e-mail); the full text is in metadata."""
    parts = [part.strip() for part in source.owner.split("/")]
    return [part.split()[0] for part in parts if part.startswith("team:") or "@" in part]


def _raw_columns(con, name: str) -> list[str] | None:
    """Columns of the last good file of source `name`, as landed in its raw table."""
    if not table_exists(con, f"raw.{name}"):
        return None
    columns = con.sql(f"SELECT * FROM raw.{name} LIMIT 0").columns
    return [column for column in columns if column not in snapshots.RAW_META]


def _fail(source: Source, message: str, **metadata: object) -> dg.Failure:
    text = f"{source.name}: {message}. Its last good snapshot stays published."
    return dg.Failure(description=text, metadata={"source": source.name, **metadata})


def _read(
    source: Source, fetched: Fetched, columns: list[str] | None, floor: tuple[int, float] | None
) -> RawRead:
    """The file read into rows, or the failure a person on call can act on.

    `floor` is (rows of the last good file, largest share it may lose): a file that falls
    further is taken for a truncated or partial export, not for members leaving."""
    try:
        read = read_source(source, fetched.content, fetched.origin, columns)
    except ColumnsChanged as error:
        missing, added = error.missing, error.added
        raise _fail(source, str(error), missing=missing, added=added) from error
    except SourceFileError as error:
        raise _fail(source, str(error)) from error
    if read.frame.height == 0:
        raise _fail(source, f"{fetched.origin} holds no record")
    if len(read.broken) > read.frame.height:
        # most rows unreadable: a wrong encoding or a broken export, not a few bad rows
        first = read.broken[0]
        raise _fail(
            source,
            f"{fetched.origin}: {len(read.broken)} of {len(read.broken) + read.frame.height}"
            f" rows unreadable (line {first.line}: {first.reason})",
        )
    if floor and read.frame.height < floor[0] * (1 - floor[1]):
        before, share = floor
        raise _fail(
            source,
            f"{fetched.origin}: {read.frame.height} rows against {before} in the last good "
            f"file, a fall of {1 - read.frame.height / before:.0%} > ESS_SOURCE_MAX_DROP "
            f"{share:.0%}: a truncated or partial export? If the partner really lost them, "
            "raise ESS_SOURCE_MAX_DROP for one run",
            rows=read.frame.height,
            last_good_rows=before,
        )
    return read


def _unchanged(con, source: Source, previous: dict | None, digest: str) -> tuple[int, int] | None:
    """(rows, unreadable rows) of the raw tables when they already hold this very file."""
    if previous is None or previous["file_hash"] != digest:
        return None
    if not all(table_exists(con, f"raw.{source.name}{end}") for end in ("", "_unreadable")):
        return None
    unreadable = con.execute(f"SELECT count(*) FROM raw.{source.name}_unreadable").fetchall()[0][0]
    return previous["rows"], unreadable


def build_source_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", source.name],
        group_name="sources",
        description=(
            f"{source.title}. {source.description} One row per record of the file as "
            "received, every column as text, with its line, id, ingestion time and file hash."
        ),
        kinds={KINDS[source.format.kind], "duckdb"},
        owners=_owners(source),
        tags={"family": source.family},
        metadata={"owner": source.owner, "family": source.family, "priority": source.priority},
        pool="warehouse",
        freshness_policy=dg.FreshnessPolicy.time_window(
            fail_window=timedelta(days=source.freshness_days)
        ),
    )
    def raw_source(
        context: dg.AssetExecutionContext,
        warehouse: DuckDBResource,
        folders: Folders,
        intake_policy: IntakePolicy,
    ) -> dg.MaterializeResult:
        settings = Settings.from_env()
        fetched_at = datetime.now(UTC).replace(tzinfo=None)
        with warehouse.get_connection() as con:
            previous = snapshots.last_good(con, source.name)
            columns = _raw_columns(con, source.name)
        try:
            fetched = fetch_source(source, data_dir=folders.data, env=settings.env)
        except FetchError as error:
            raise _fail(source, str(error)) from error
        digest = snapshots.file_hash(fetched.content)
        with warehouse.get_connection() as con:
            unchanged = _unchanged(con, source, previous, digest)
        if unchanged:
            # the same file as the last good one: its raw tables hold it, nothing to read
            context.log.info(f"{source.name}: file unchanged since {previous['fetched_at']}")
            rows, broken = unchanged
        else:
            floor = (previous["rows"], intake_policy.max_drop) if previous else None
            read = _read(source, fetched, columns, floor)
            rows, broken = read.frame.height, len(read.broken)
        kept = snapshots.keep_snapshot(
            folders.snapshots, source.name, fetched.name, fetched.content, fetched_at
        )
        with warehouse.get_connection() as con:
            if not unchanged:
                frame = read.frame.with_columns(
                    record_ids(read.frame, source.record_id),
                    _source=pl.lit(source.name),
                    _ingested_at=pl.lit(fetched_at),
                    _file_hash=pl.lit(digest),
                )
                unreadable = pl.DataFrame(
                    [vars(row) for row in read.broken],
                    schema={"line": pl.Int64, "text": pl.String, "reason": pl.String},
                )
                write_table(con, f"raw.{source.name}", frame)
                write_table(con, f"raw.{source.name}_unreadable", unreadable)
            snapshots.log_good_fetch(
                con,
                source=source.name,
                file_hash=digest,
                fetched_at=fetched_at,
                origin=fetched.origin,
                snapshot=kept,
                rows=rows,
                unreadable=broken,
            )
        return dg.MaterializeResult(
            data_version=dg.DataVersion(digest),
            metadata={
                "dagster/row_count": rows,
                "unreadable_rows": broken,
                "skipped": bool(unchanged),
                "file_hash": digest,
                "snapshot": dg.MetadataValue.path(str(kept)),
                "origin": fetched.origin,
            },
        )

    return raw_source


def source_assets() -> list[dg.AssetsDefinition]:
    return [build_source_asset(source) for source in registry()]
