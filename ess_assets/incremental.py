"""Incremental days: a step whose inputs did not change since its last run is not recomputed.

Each step computes a fingerprint of its inputs (the raw file hash for a source's staging, the
fingerprints of its upstream steps and the content of the tables a person edits for the
others) and compares it with the one stored in `ops.fingerprints` at its last success. Equal,
with every output table still there: the step returns at once with `skipped` metadata.
Different: it recomputes, then stores the new fingerprint. A change to the code of a step
changes its `version` argument, so the step recomputes the next day.

Usage in an asset, inside one warehouse connection:

    fingerprint = incremental.fingerprint(con, "staging.asp", version, raw_hash)
    if skipped := incremental.skip(con, "staging.asp", fingerprint, ["staging.asp"]):
        return skipped
    ...compute and write...
    incremental.remember(con, "staging.asp", fingerprint)
"""

import hashlib
from datetime import UTC, datetime

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
    row = con.execute(
        f"SELECT fingerprint, computed_at FROM {TABLE} WHERE step = ?", [step]
    ).fetchone()
    return (row[0], row[1]) if row else None


def upstream(con: duckdb.DuckDBPyConnection, *steps: str) -> str:
    """The stored fingerprints of `steps` as one part of a downstream fingerprint."""
    return fingerprint(*((stored(con, step) or ("never",))[0] for step in steps))


def table_content(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A hash of a table's rows (order aside): for tables people edit, like match.decisions."""
    if not table_exists(con, table):
        return "absent"
    rows, total = con.execute(f"SELECT count(*), sum(hash(t)) FROM {table} t").fetchone()
    return f"{rows}:{total}"


def skip(
    con: duckdb.DuckDBPyConnection,
    step: str,
    current: str,
    outputs: list[str],
) -> dg.MaterializeResult | None:
    """The result of a skipped step when its inputs are those of its last success and its
    outputs are all there; None when it must recompute. Its stored fingerprint is then
    dropped, so that a run failing half-way is recomputed whatever the inputs next time."""
    last = stored(con, step)
    if last is None or last[0] != current or not all(table_exists(con, t) for t in outputs):
        forget(con, step)
        return None
    return dg.MaterializeResult(
        metadata={
            "skipped": True,
            "reason": f"inputs unchanged since {last[1]:%Y-%m-%d %H:%M:%S} UTC",
            "fingerprint": current,
        },
    )


def remember(con: duckdb.DuckDBPyConnection, step: str, current: str) -> None:
    """Store `current` as the fingerprint of the last success of `step`."""
    con.execute("CREATE SCHEMA IF NOT EXISTS ops")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} "
        "(step VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, computed_at TIMESTAMP NOT NULL)"
    )
    at = datetime.now(UTC).replace(tzinfo=None)
    con.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?)", [step, current, at])


def forget(con: duckdb.DuckDBPyConnection, step: str) -> None:
    """Drop the stored fingerprint of `step`: its next run recomputes."""
    if table_exists(con, TABLE):
        con.execute(f"DELETE FROM {TABLE} WHERE step = ?", [step])
