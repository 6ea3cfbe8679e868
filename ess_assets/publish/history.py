"""The publication log in the warehouse: what was published, when, and what changed.

`publish.publications`   one row per publication that went out (refused ones are not logged)
`publish.suppliers`      the rows of the last publication, as in the files
`publish.supplier_sources` the source records behind each published supplier, at that time
`publish.changes`        the change feed of every publication, one row per change
"""

import json
from datetime import datetime

import duckdb
import polars as pl

from ess_assets.publish.changes import CHANGE_SCHEMA
from ess_assets.warehouse import read_table, table_exists, write_table

PUBLICATIONS = "publish.publications"
PUBLISHED = "publish.suppliers"
SOURCES = "publish.supplier_sources"
CHANGES = "publish.changes"
SOURCE_COLUMNS = (
    "supplier_id",
    "source",
    "source_record_id",
    "record_key",
    "match_rule",
    "siret_source",
    "siret_valide",
)


def last_publication(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The last publication that went out (publication_id, published_at, suppliers), if any."""
    if not table_exists(con, PUBLICATIONS):
        return None
    rows = con.execute(
        f"SELECT publication_id, published_at, suppliers FROM {PUBLICATIONS} "
        "ORDER BY published_at DESC LIMIT 1"
    ).fetchall()
    if not rows:
        return None
    return dict(zip(("publication_id", "published_at", "suppliers"), rows[0], strict=True))


def previous_rows(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The rows of the last publication (an empty frame before the first one)."""
    if not table_exists(con, PUBLISHED):
        return pl.DataFrame(schema={"supplier_id": pl.String})
    return read_table(con, PUBLISHED)


def record_publication(
    con: duckdb.DuckDBPyConnection,
    *,
    publication_id: str,
    published_at: datetime,
    published: pl.DataFrame,
    records: pl.DataFrame,
    changes: pl.DataFrame,
    hashes: dict[str, str],
) -> None:
    """Log one publication, in one transaction: its rows, their sources and its changes."""
    counts = changes.group_by("change").agg(pl.col("supplier_id").n_unique())
    by_change = dict(counts.iter_rows())
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS publish")
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {PUBLICATIONS} (publication_id VARCHAR, "
            "published_at TIMESTAMP, published_on DATE, suppliers BIGINT, added BIGINT, "
            "removed BIGINT, changed BIGINT, files JSON)"
        )
        con.execute(
            f"INSERT INTO {PUBLICATIONS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                publication_id,
                published_at,
                published_at.date(),
                published.height,
                by_change.get("added", 0),
                by_change.get("removed", 0),
                by_change.get("changed", 0),
                json.dumps(hashes),
            ],
        )
        write_table(con, PUBLISHED, published)
        linked = records.filter(pl.col("supplier_id").is_in(published.get_column("supplier_id")))
        write_table(con, SOURCES, linked.select(SOURCE_COLUMNS))
        if not table_exists(con, CHANGES):
            write_table(con, CHANGES, pl.DataFrame(schema=CHANGE_SCHEMA))
        con.register("_changes", changes)
        con.execute(f"INSERT INTO {CHANGES} SELECT * FROM _changes")
        con.unregister("_changes")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
