"""Incremental days: a step whose inputs did not change since its last run is not recomputed.

Each step computes a fingerprint of its inputs: the raw file hash for a source's staging; for
the others, the stored fingerprints of their upstream steps, the reference files they read and
the tables a person edits (match.decisions). What is stored in `ops.fingerprints` at a
success is that fingerprint together with the content of the step's output tables, so that:
- a step skips when its inputs and its outputs are those of its last success (an output
  dropped or edited by hand is recomputed);
- a step downstream of one that recomputed the same rows skips too (content, not time).
A change to the code of a step changes its `version` argument, so it recomputes the next day.

Usage in an asset, inside one warehouse connection:

    inputs = incremental.fingerprint(version, incremental.upstream(con, "match.golden"))
    if skipped := incremental.skip(con, "enrich.sirene", inputs, ["enrich.sirene"]):
        return skipped
    ...compute and write enrich.sirene...
    incremental.remember(con, "enrich.sirene", inputs, ["enrich.sirene"])
"""

import hashlib
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import dagster as dg
import duckdb

from ess_assets.warehouse import table_exists

TABLE = "ops.fingerprints"


def fingerprint(*parts: object) -> str:
    """One hash of every part (text, numbers, None), in order."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def stored(con: duckdb.DuckDBPyConnection, step: str) -> tuple[str, datetime] | None:
    """(fingerprint, at) of the last success of `step`, or None."""
    if not table_exists(con, TABLE):
        return None
    rows = con.execute(
        f"SELECT fingerprint, computed_at FROM {TABLE} WHERE step = ?", [step]
    ).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def upstream(con: duckdb.DuckDBPyConnection, *steps: str) -> str:
    """The stored fingerprints of `steps` as one part of a downstream fingerprint."""
    return fingerprint(*((stored(con, step) or ("never",))[0] for step in steps))


def files(*paths: Path) -> str:
    """A hash of the content of reference files (a folder: every file under it, by name).

    Each file is read once per version (path, size, modification time) in a process: the
    five enrichment steps of a run name the same SIRENE stock, which may weigh gigabytes."""
    digest = hashlib.sha256()
    for path in paths:
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in found:
            digest.update(f"{file.name}\x1f".encode())
            if file.exists():
                stat = file.stat()
                digest.update(_file_digest(file, stat.st_size, stat.st_mtime_ns))
    return digest.hexdigest()


@lru_cache(maxsize=1024)
def _file_digest(path: Path, size: int, modified: int) -> bytes:
    """SHA-256 of one file's content; `size` and `modified` make a changed file a new key."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def _with_outputs(con: duckdb.DuckDBPyConnection, inputs: str, outputs: list[str]) -> str:
    return fingerprint(inputs, *(table_content(con, table) for table in outputs))


def table_content(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A hash of a table's rows, order aside (count and sum of row hashes)."""
    if not table_exists(con, table):
        return "absent"
    rows, total = con.execute(f"SELECT count(*), sum(hash(t)) FROM {table} t").fetchall()[0]
    return f"{rows}:{total}"


def steps_done(con: duckdb.DuckDBPyConnection, leave_out: tuple[str, ...] = ()) -> str:
    """A hash of what the steps made of the warehouse: the stored fingerprint of every step but
    those of `leave_out`, the names of the tables and the views' definitions.

    Every table is written by a step whose stored fingerprint holds its inputs (among them the
    tables people edit, such as match.decisions) and its output tables' content, so this
    changes when a table does, for one small query: hashing every row of a 300 000-record
    warehouse took 0.6 s. Tables written outside the steps are not in it (ops.incidents)."""
    steps = []
    if table_exists(con, TABLE):
        steps = con.execute(f"SELECT step, fingerprint FROM {TABLE} ORDER BY step").fetchall()
    tables = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() ORDER BY 1"
    ).fetchall()
    views = con.execute(
        "SELECT sql FROM duckdb_views() WHERE NOT internal AND database_name = current_database() "
        "ORDER BY schema_name, view_name"
    ).fetchall()
    done = [f"{step}={value}" for step, value in steps if step not in leave_out]
    return fingerprint(*done, *(t for (t,) in tables), *(sql for (sql,) in views))


def unchanged_since(
    con: duckdb.DuckDBPyConnection, step: str, inputs: str, outputs: list[str]
) -> datetime | None:
    """When `step` last succeeded, if its inputs and output tables are still those of that
    success; None otherwise (never run, inputs changed, an output gone or edited)."""
    last = stored(con, step)
    if last is None or not all(table_exists(con, table) for table in outputs):
        return None
    return last[1] if last[0] == _with_outputs(con, inputs, outputs) else None


def skip(
    con: duckdb.DuckDBPyConnection,
    step: str,
    inputs: str,
    outputs: list[str],
) -> dg.MaterializeResult | None:
    """The result of a skipped step when its inputs and output tables are those of its last
    success; None when it must recompute. Its stored fingerprint is then dropped, so that a
    run failing half-way is recomputed whatever the inputs next time."""
    since = unchanged_since(con, step, inputs, outputs)
    if since is None:
        forget(con, step)
        return None
    return dg.MaterializeResult(
        metadata={
            "skipped": True,
            "reason": f"inputs unchanged since {since:%Y-%m-%d %H:%M:%S} UTC",
        }
    )


def remember(
    con: duckdb.DuckDBPyConnection, step: str, inputs: str, outputs: list[str] | None = None
) -> None:
    """Store the fingerprint of the last success of `step`: its inputs and output tables."""
    con.execute("CREATE SCHEMA IF NOT EXISTS ops")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} "
        "(step VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, computed_at TIMESTAMP NOT NULL)"
    )
    at = datetime.now(UTC).replace(tzinfo=None)
    current = _with_outputs(con, inputs, outputs or [])
    con.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?)", [step, current, at])


def forget(con: duckdb.DuckDBPyConnection, step: str) -> None:
    """Drop the stored fingerprint of `step`: its next run recomputes."""
    if table_exists(con, TABLE):
        con.execute(f"DELETE FROM {TABLE} WHERE step = ?", [step])
