"""Write the open-data files of one publication: CSV, Parquet, GeoJSON and a spreadsheet.

The columns are those of `fields.FIELDS` present in the frame; every file is written
atomically, so that a reader of the folder sees a whole file or none.
"""

import hashlib
import json
import os
from pathlib import Path

import polars as pl

from ess_assets.publish.fields import FIELD_NAMES
from ess_assets.publish.xlsx import write_workbook
from ess_assets.sources.snapshots import write_atomically

BASENAME = "opendata_ess"
COLUMNS = FIELD_NAMES  # the columns that may be published, declared in fields.py
KINDS = ("csv", "parquet", "geojson", "xlsx")
PUBLIC = 0o644  # published files are read by the portal's web server


def write_public(path: Path, content: bytes) -> None:
    """Write a published file atomically, readable by everyone."""
    write_atomically(path, content)
    path.chmod(PUBLIC)


def geojson(frame: pl.DataFrame) -> dict:
    """A RFC 7946 FeatureCollection of the rows that have coordinates (WGS84 lon/lat points)."""
    located = frame.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    features = [
        {
            "type": "Feature",
            "id": row["supplier_id"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
        }
        for row in located.iter_rows(named=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def export_paths(folder: Path) -> dict[str, Path]:
    """The path of each data file of a publication in `folder`."""
    return {kind: folder / f"{BASENAME}.{kind}" for kind in KINDS}


def write_export(published: pl.DataFrame, folder: Path) -> dict[str, Path]:
    """Write the four files of `published` (already restricted to public fields) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = export_paths(folder)
    write_atomically(paths["csv"], published.write_csv().encode("utf-8"))
    parquet = folder / f".{BASENAME}.parquet.tmp"
    published.write_parquet(parquet)
    parquet.replace(paths["parquet"])
    text = json.dumps(geojson(published), ensure_ascii=False)
    write_atomically(paths["geojson"], text.encode("utf-8"))
    write_workbook(published, paths["xlsx"])
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
