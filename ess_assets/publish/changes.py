"""The change feed: suppliers added, removed and changed between two publications.

A platform that mirrors the open data reads one small file a day instead of the whole export.
Fields are compared as published; a field that appears or disappears between the two
publications (a new enrichment column) is reported once in `fields_added` / `fields_removed`
rather than as a change of every supplier: the mirror then downloads the whole export again.
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


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def compare(previous: pl.DataFrame, current: pl.DataFrame) -> dict:
    """The change feed from `previous` to `current` (published rows, keyed by supplier_id)."""
    before = {row["supplier_id"]: row for row in previous.iter_rows(named=True)}
    after = {row["supplier_id"]: row for row in current.iter_rows(named=True)}
    common = [c for c in current.columns if c in previous.columns and c != "supplier_id"]
    changed = []
    for supplier_id in sorted(before.keys() & after.keys()):
        old, new = before[supplier_id], after[supplier_id]
        fields = {
            name: {"old": old[name], "new": new[name]} for name in common if old[name] != new[name]
        }
        if fields:
            changed.append({"supplier_id": supplier_id, "nom": new.get("nom"), "fields": fields})
    return {
        "added": [after[key] for key in sorted(after.keys() - before.keys())],
        "removed": [
            {"supplier_id": key, "nom": before[key].get("nom")}
            for key in sorted(before.keys() - after.keys())
        ],
        "changed": changed,
        "fields_added": [c for c in current.columns if c not in previous.columns],
        "fields_removed": [c for c in previous.columns if c not in current.columns],
    }


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
    """Write the feed as folder/changes/YYYY-MM-DD.json (the day's last publication wins)."""
    path = folder / "changes" / f"{published_on:%Y-%m-%d}.json"
    text = json.dumps({**header, **feed}, ensure_ascii=False, indent=1, default=str)
    write_public(path, text.encode("utf-8"))
    return path


def feed_counts(feed: dict) -> dict[str, int]:
    return {kind: len(feed[kind]) for kind in ("added", "removed", "changed")}
