"""Write the open-data files: CSV, Parquet and GeoJSON, each replaced atomically."""

import json
from pathlib import Path

import polars as pl

from ess_assets.sources.snapshots import write_atomically

BASENAME = "opendata_ess"
COLUMNS = (
    "supplier_id",
    "nom",
    "enseigne",
    "siret",
    "siren",
    "forme_juridique",
    "type_structure",
    "types_structure",
    "naf",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "departement",
    "region",
    "latitude",
    "longitude",
    "telephone",
    "email",
    "site_web",
    "reseaux",
    "sources",
    "provenance",
)


def geojson(frame: pl.DataFrame) -> dict:
    """A RFC 7946 FeatureCollection of the rows that have coordinates (WGS84 points)."""
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


def write_export(frame: pl.DataFrame, folder: Path) -> dict[str, Path]:
    """Write the three files of `frame` (restricted to COLUMNS) into `folder`."""
    published = frame.select(COLUMNS).sort("supplier_id")
    folder.mkdir(parents=True, exist_ok=True)
    paths = {kind: folder / f"{BASENAME}.{kind}" for kind in ("csv", "parquet", "geojson")}
    write_atomically(paths["csv"], published.write_csv().encode("utf-8"))
    parquet = folder / f".{BASENAME}.parquet.tmp"
    published.write_parquet(parquet)
    parquet.replace(paths["parquet"])
    text = json.dumps(geojson(published), ensure_ascii=False)
    write_atomically(paths["geojson"], text.encode("utf-8"))
    return paths
