"""The change feed: suppliers added, removed and changed between two publications.

A platform that mirrors the open data reads one small file a day instead of the whole export.
Fields are compared as published; a field that appears or disappears between the two
publications (a new enrichment column) is reported once in `fields_added` / `fields_removed`
rather than as a change of every supplier: the mirror then downloads the whole export again.
The first publication's feed names the suppliers it adds without their fields: the mirror
starts from the export.
"""

import json
from datetime import date
from pathlib import Path

import polars as pl

from ess_assets.publish.files import write_public

CHANGE_SCHEMA = {
    "publication_id": pl.String,
    "published_on": pl.Date,
    "supplier_id": pl.String,
    "change": pl.String,
    "field": pl.String,
    "old_value": pl.String,
    "new_value": pl.String,
}


OLD = "\x1fold"  # suffix of the previous publication's columns while comparing


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def compare(previous: pl.DataFrame, current: pl.DataFrame) -> dict:
    """The change feed from `previous` to `current` (published rows, keyed by supplier_id).

    Rows are compared in polars; only the added, removed and changed ones become Python
    objects (a day's change is small, the whole export is not)."""
    common = [c for c in current.columns if c in previous.columns and c != "supplier_id"]
    ids_before, ids_after = previous.select("supplier_id"), current.select("supplier_id")
    added = current.join(ids_before, on="supplier_id", how="anti").sort("supplier_id")
    removed = previous.join(ids_after, on="supplier_id", how="anti").sort("supplier_id")
    old = previous.select(
        "supplier_id", *(_as(previous, current, c).alias(f"{c}{OLD}") for c in common)
    )
    new = current.select("supplier_id", *(_as(current, previous, c) for c in common))
    both = new.join(old, on="supplier_id", how="inner")
    differs = [pl.col(c).ne_missing(pl.col(f"{c}{OLD}")) for c in common]
    touched = both.filter(pl.any_horizontal(differs)) if differs else both.clear()
    names = dict(current.select("supplier_id", "nom").iter_rows()) if "nom" in current else {}
    changed = [
        {
            "supplier_id": row["supplier_id"],
            "nom": names.get(row["supplier_id"]),
            "fields": {
                c: {"old": row[f"{c}{OLD}"], "new": row[c]}
                for c in common
                if row[c] != row[f"{c}{OLD}"]
            },
        }
        for row in touched.sort("supplier_id").iter_rows(named=True)
    ]
    # A first publication adds every supplier: the export itself is the copy to take, so the
    # feed names them (id and name) rather than holding the export a second time.
    first = previous.height == 0
    return {
        "added": (_named(added) if first else added).to_dicts(),
        "removed": _named(removed).to_dicts(),
        "changed": changed,
        "fields_added": [c for c in current.columns if c not in previous.columns],
        "fields_removed": [c for c in previous.columns if c not in current.columns],
    }


def _named(frame: pl.DataFrame) -> pl.DataFrame:
    """supplier_id and nom of `frame` (nom null when the frame has none)."""
    return frame.select(
        "supplier_id", pl.col("nom") if "nom" in frame else pl.lit(None, pl.String).alias("nom")
    )


def _as(frame: pl.DataFrame, other: pl.DataFrame, column: str) -> pl.Expr:
    """`column` of `frame`, as text when the two publications typed it differently."""
    same = frame.schema[column] == other.schema[column]
    return pl.col(column) if same else pl.col(column).cast(pl.String)


def change_rows(feed: dict, publication_id: str, published_on: date) -> pl.DataFrame:
    """The feed as rows of the history table: one per added/removed supplier, per changed field."""
    rows = [(item["supplier_id"], "added", None, None, None) for item in feed["added"]]
    rows += [(item["supplier_id"], "removed", None, None, None) for item in feed["removed"]]
    rows += [
        (item["supplier_id"], "changed", name, _text(values["old"]), _text(values["new"]))
        for item in feed["changed"]
        for name, values in item["fields"].items()
    ]
    frame = pl.DataFrame(
        rows,
        schema=["supplier_id", "change", "field", "old_value", "new_value"],
        orient="row",
        schema_overrides={c: pl.String for c in ("field", "old_value", "new_value")},
    )
    return frame.select(
        pl.lit(publication_id).alias("publication_id"),
        pl.lit(published_on).alias("published_on"),
        pl.all(),
    ).cast(CHANGE_SCHEMA)


def write_feed(feed: dict, folder: Path, header: dict, published_on: date) -> Path:
    """Write the feed as folder/changes/YYYY-MM-DD.json; a later publication the same day
    writes YYYY-MM-DD_02.json, _03 and so on. No feed replaces another: each holds the changes
    since the publication before it, and the names sort in the order of publication."""
    day = f"{published_on:%Y-%m-%d}"
    path, number = folder / "changes" / f"{day}.json", 1
    while path.exists():
        number += 1
        path = folder / "changes" / f"{day}_{number:02d}.json"
    # Compact: Python's JSON encoder is four times slower when asked to indent.
    text = json.dumps({**header, **feed}, ensure_ascii=False, default=str)
    write_public(path, text.encode("utf-8"))
    return path


def feed_counts(feed: dict) -> dict[str, int]:
    return {kind: len(feed[kind]) for kind in ("added", "removed", "changed")}
