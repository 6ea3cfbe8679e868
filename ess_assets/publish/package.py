"""The Frictionless data package describing one publication, and its validation.

`datapackage.json` sits next to the data files: a Table Schema (from `fields.FIELDS`) for each
tabular resource, the licence (Licence Ouverte 2.0), and one source per partner with its
attribution and the date of the snapshot used. Frictionless checks every file against it
(types, constraints, sizes and hashes) before anything is published.
"""

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from frictionless import FrictionlessException, Package, Resource, validate

from ess_assets.publish.fields import Field, table_schema
from ess_assets.sources.registry import registry
from ess_assets.sources.snapshots import LOG, write_atomically
from ess_assets.warehouse import table_exists

PACKAGE_FILE = "datapackage.json"
# Files whose cells file_checks.files_agree compares with the CSV's, which Frictionless validates:
# it reads Parquet through pandas and spreadsheets through openpyxl, about a millisecond a row
# each at thirty columns, for the same cells.
SAME_CELLS_AS_CSV = ("parquet", "xlsx")
PARQUET_TYPES = {"string": pl.String, "number": pl.Float64, "integer": pl.Int64}
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
TITLE = "Fournisseurs de l'économie sociale et solidaire en Auvergne-Rhône-Alpes"
DESCRIPTION = (
    "Base ouverte des fournisseurs de l'ESS de la région, à l'usage des acheteurs publics : "
    "une ligne par fournisseur (un établissement), rapprochée depuis les annuaires des réseaux "
    "partenaires et les listes publiques, mise à jour chaque jour. Aucune donnée personnelle : "
    "ni e-mail ni téléphone d'une personne, ni adresse d'un établissement en diffusion "
    "partielle au répertoire SIRENE."
)
RESOURCES = {
    "csv": ("text/csv", "Fichier CSV (UTF-8, séparateur virgule, une ligne d'en-tête)"),
    "parquet": ("application/vnd.apache.parquet", "Fichier Parquet, colonnes typées"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Classeur pour les acheteurs : feuille « Fournisseurs ESS », colonnes décrites "
        "dans la feuille « Colonnes »",
    ),
    "geojson": (
        "application/geo+json",
        "GeoJSON (RFC 7946) des fournisseurs localisés, en WGS84 ; les propriétés de chaque "
        "point sont les colonnes du fichier CSV hors latitude et longitude",
    ),
}


def source_credits(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One Frictionless source per registry entry: its title and the date of its data, the
    first fetch of the file it gives now (a file fetched again unchanged keeps its date)."""
    fetched = {}
    if table_exists(con, LOG):
        rows = con.execute(
            f"""
            WITH fetches AS (
              SELECT source, file_hash, fetched_at,
                     lag(file_hash) OVER (PARTITION BY source ORDER BY fetched_at) AS before
              FROM {LOG}
            )
            SELECT source, max(fetched_at) FROM fetches
            WHERE before IS DISTINCT FROM file_hash GROUP BY source
            """
        ).fetchall()
        fetched = {name: at for name, at in rows}
    return [
        {
            "title": source.title,
            "attribution": f"{source.title}, données du {fetched[source.name]:%d/%m/%Y}",
            "date": f"{fetched[source.name]:%Y-%m-%d}",
        }
        for source in registry()
        if source.name in fetched
    ]


def _digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _resource(kind: str, path: Path, schema: dict) -> dict:
    mediatype, description = RESOURCES[kind]
    resource = {
        "name": f"opendata-ess-{kind}",
        "path": path.name,
        "format": kind,
        "mediatype": mediatype,
        "description": description,
    }
    if kind != "parquet":  # Frictionless reads Parquet through pandas: it cannot count bytes
        resource |= {"bytes": path.stat().st_size, "hash": _digest(path)}
    if kind == "geojson":
        return {**resource, "encoding": "utf-8"}
    if kind == "csv":
        resource |= {"encoding": "utf-8", "dialect": {"csv": {"delimiter": ","}}}
    if kind == "xlsx":
        resource["dialect"] = {"excel": {"sheet": "Fournisseurs ESS"}}
    return {**resource, "schema": schema}


def write_datapackage(
    paths: dict[str, Path], fields: tuple[Field, ...], credits: list[dict], created: datetime
) -> Path:
    """Write datapackage.json next to the data files `paths` (kind -> path)."""
    schema = table_schema(fields)
    descriptor = {
        "name": "opendata-ess-auvergne-rhone-alpes",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": f"{created:%Y-%m-%d}",
        "created": created.isoformat(timespec="seconds") + "Z",
        "keywords": [
            "ESS",
            "économie sociale et solidaire",
            "achats publics",
            "Auvergne-Rhône-Alpes",
        ],
        "licenses": [LICENCE],
        "sources": credits,
        "resources": [_resource(kind, path, schema) for kind, path in paths.items()],
    }
    path = next(iter(paths.values())).parent / PACKAGE_FILE
    text = json.dumps(descriptor, ensure_ascii=False, indent=2)
    write_atomically(path, text.encode("utf-8"))
    return path


def _integrity(resource: Resource) -> list[str]:
    """The declared size and hash of a file Frictionless does not read, against the file."""
    path = Path(resource.normpath)
    errors = []
    if resource.bytes is not None and resource.bytes != path.stat().st_size:
        errors.append(f"bytes {resource.bytes} declared, {path.stat().st_size} found")
    if resource.hash is not None and resource.hash != _digest(path):
        errors.append(f"hash {resource.hash} declared, {_digest(path)} found")
    if resource.format == "parquet":
        found = pl.read_parquet_schema(path)
        for field in resource.schema.fields:
            expected = PARQUET_TYPES.get(field.type)
            if found.get(field.name) != expected:
                errors.append(f"{field.name}: {found.get(field.name)} found, {expected} declared")
    return errors


def package_errors(path: Path) -> list[str]:
    """Every error found in the package at `path` (empty: valid): Frictionless validates the
    descriptor, the CSV and the GeoJSON; the Parquet file and the spreadsheet are checked here
    for size, hash and (Parquet) column types, and by file_checks.files_agree cell by cell."""
    try:
        package = Package(str(path))
    except FrictionlessException:
        report = validate(str(path))  # a broken descriptor: let Frictionless report it
        return [f"{PACKAGE_FILE}: {error.message}" for error in report.errors]
    others = [r for r in package.resources if r.format in SAME_CELLS_AS_CSV]
    for resource in others:
        package.remove_resource(resource.name)
    report = package.validate()
    errors = [f"{PACKAGE_FILE}: {error.message}" for error in report.errors]
    for task in report.tasks:
        errors += [f"{task.name}: {error.message}" for error in task.errors]
    return errors + [f"{r.name}: {error}" for r in others for error in _integrity(r)]


def start_validation(path: Path) -> subprocess.Popen:
    """Start package_errors on the package at `path` in another process (Frictionless reads
    row by row in Python, seconds at a hundred thousand rows); finish_validation waits."""
    command = [sys.executable, "-m", "ess_assets.publish.package", str(path)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish_validation(process: subprocess.Popen) -> list[str]:
    """The errors of the validation `start_validation` started; a crash of it is an error."""
    output, error = process.communicate()
    if process.returncode != 0:
        reason = error.decode("utf-8", "replace").strip().splitlines()
        return [f"{PACKAGE_FILE}: validation failed: {reason[-1] if reason else 'no message'}"]
    return json.loads(output)


if __name__ == "__main__":
    # The answer to finish_validation, through the pipe: data, not a log line.
    json.dump(package_errors(Path(sys.argv[1])), sys.stdout, ensure_ascii=False)
