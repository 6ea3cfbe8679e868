"""Write the open-data files of one publication: CSV, Parquet, GeoJSON and a spreadsheet.

The columns are those of `fields.FIELDS` present in the frame; every file is written
atomically, so that a reader of the folder sees a whole file or none.
"""

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import ijson
import polars as pl

from ess_assets.publish.fields import FIELD_NAMES
from ess_assets.publish.xlsx import finish_workbook, start_workbook
from ess_assets.sources.snapshots import replacing, write_atomically

BASENAME = "opendata_ess"
COLUMNS = FIELD_NAMES  # the columns that may be published, declared in fields.py
KINDS = ("csv", "parquet", "geojson", "xlsx")
PUBLIC = 0o644  # published files are read by the portal's web server


def write_public(path: Path, content: bytes) -> None:
    """Write a published file atomically, readable by everyone."""
    write_atomically(path, content)
    path.chmod(PUBLIC)


def _features(frame: pl.DataFrame):
    """RFC 7946 features of the rows that have coordinates (WGS84 lon/lat points), one by one."""
    located = frame.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    for row in located.iter_rows(named=True):
        yield {
            "type": "Feature",
            "id": row["supplier_id"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
        }


def write_geojson(frame: pl.DataFrame, path: Path) -> None:
    """Write a RFC 7946 FeatureCollection of the located rows, one feature per line, as they
    come: the whole text is never held (hundreds of megabytes at a hundred thousand rows)."""
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        for index, feature in enumerate(_features(frame)):
            out.write(",\n" if index else "\n")
            out.write(json.dumps(feature, ensure_ascii=False))
        out.write("\n]}\n")


@dataclass(frozen=True)
class GeoJsonSummary:
    """What the checks need of a published GeoJSON file, read as a stream (ijson)."""

    kind: str | None  # the document's "type"
    has_crs: bool  # RFC 7946 removed "crs": WGS84 is implied
    ids: list[str]
    points_valid: bool  # every geometry a Point with a longitude and a latitude in range
    property_names: list[str]


def read_geojson(path: Path) -> GeoJsonSummary:
    """Summarise the GeoJSON file at `path` without loading it whole."""
    with path.open("rb") as handle:
        kind = next(ijson.items(handle, "type"), None)
    with path.open("rb") as handle:
        has_crs = next(ijson.items(handle, "crs"), None) is not None
    ids, names, valid = [], set(), True
    with path.open("rb") as handle:
        for feature in ijson.items(handle, "features.item", use_float=True):
            ids.append(feature.get("id"))
            names.update(feature.get("properties") or {})
            geometry = feature.get("geometry") or {}
            point = geometry.get("coordinates") or []
            valid = valid and (
                geometry.get("type") == "Point"
                and len(point) == 2
                and -180 <= point[0] <= 180
                and -90 <= point[1] <= 90
            )
    return GeoJsonSummary(kind, has_crs, ids, valid, sorted(names))


def export_paths(folder: Path) -> dict[str, Path]:
    """The path of each data file of a publication in `folder`."""
    return {kind: folder / f"{BASENAME}.{kind}" for kind in KINDS}


def write_export(published: pl.DataFrame, folder: Path) -> dict[str, Path]:
    """Write the four files of `published` (already restricted to public fields) into `folder`:
    the spreadsheet from the Parquet file in another process, meanwhile the CSV and GeoJSON."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = export_paths(folder)
    with replacing(paths["parquet"]) as temporary:
        published.write_parquet(temporary)
    spreadsheet = start_workbook(paths["parquet"], paths["xlsx"])
    try:
        with replacing(paths["csv"]) as temporary:
            published.write_csv(temporary)
        write_geojson(published, paths["geojson"])
    finally:
        finish_workbook(spreadsheet, paths["xlsx"])
    return paths


def release(staging: Path, target: Path, names: list[str]) -> dict[str, str]:
    """Move each file of `names` from `staging` into `target` (os.replace, one file at a time).

    Returns the SHA-256 of each file. The data files go first and the data package last, so
    that the package never describes files older than itself.
    """
    target.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name in names:
        path = staging / name
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        path.chmod(PUBLIC)
        os.replace(path, target / name)
    return hashes
