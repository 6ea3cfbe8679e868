"""Raw snapshots: every fetched file kept as received, and the log of good fetches.

The log (`raw.snapshots`, one row per good fetch) is what tells an unchanged file (same hash
as the last good one) and a stale source (last good fetch too old).
"""

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from ess_assets.warehouse import table_exists

LOG = "raw.snapshots"
# Columns the raw tables add to the source's own columns.
RAW_META = ("_source", "_source_record_id", "_line", "_ingested_at", "_file_hash")


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write; renamed over `path` when the block ends
    without error, removed otherwise: a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_atomically(path: Path, content: bytes) -> None:
    """Write `path` so that a reader sees the old file or the new one, never half of one."""
    with replacing(path) as temporary:
        temporary.write_bytes(content)


def keep_snapshot(folder: Path, source: str, name: str, content: bytes, at: datetime) -> Path:
    """Store the file as received under folder/source/, named by date and hash."""
    digest = file_hash(content)
    path = folder / source / f"{at:%Y-%m-%d}-{digest[:12]}{Path(name).suffix}"
    if not path.exists():
        write_atomically(path, content)
    return path


def last_good(con: duckdb.DuckDBPyConnection, source: str) -> dict | None:
    """The last good fetch of `source` (file_hash, fetched_at, snapshot, rows), if any."""
    if not table_exists(con, LOG):
        return None
    rows = con.execute(
        f"SELECT file_hash, fetched_at, snapshot, rows FROM {LOG} "
        "WHERE source = ? ORDER BY fetched_at DESC LIMIT 1",
        [source],
    ).fetchall()
    if not rows:
        return None
    return dict(zip(("file_hash", "fetched_at", "snapshot", "rows"), rows[0], strict=True))


def log_good_fetch(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    file_hash: str,
    fetched_at: datetime,
    origin: str,
    snapshot: Path,
    rows: int,
    unreadable: int,
) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {LOG} (source VARCHAR, file_hash VARCHAR, "
        "fetched_at TIMESTAMP, origin VARCHAR, snapshot VARCHAR, rows BIGINT, unreadable BIGINT)"
    )
    con.execute(
        f"INSERT INTO {LOG} VALUES (?, ?, ?, ?, ?, ?, ?)",
        [source, file_hash, fetched_at, origin, str(snapshot), rows, unreadable],
    )
