"""The blocking checks that read the candidate's files, evaluated in one step.

`files_agree`, `no_personal_data` and `valid_datapackage` each need the same files: in one
step each file is read once, and Frictionless validates the package in a process of its own
(on the second core) while the others read. Each check keeps its own name and result in the
UI; when one fails, `export/opendata_ess` does not run.
"""

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets.publish.checks import candidate_paths, nothing_new
from ess_assets.publish.files import GeoJsonSummary, read_geojson
from ess_assets.publish.keys import CANDIDATE, staging_folder
from ess_assets.publish.package import PACKAGE_FILE, finish_validation, start_validation
from ess_assets.publish.privacy import (
    ESTABLISHMENT_STATUS,
    PHONE_EVIDENCE,
    column_findings,
    partial_establishments,
    personal_phones,
    privacy_findings,
)
from ess_assets.publish.xlsx import read_sheet
from ess_assets.resources import Folders
from ess_assets.warehouse import read_columns

SPECS = [
    dg.AssetCheckSpec(
        "files_agree",
        asset=CANDIDATE,
        blocking=True,
        description="Parquet and spreadsheet hold the CSV's cells, row for row (Frictionless "
        "validates the CSV: see valid_datapackage); the GeoJSON (RFC 7946) holds the CSV's "
        "located suppliers, with the CSV's columns as properties.",
    ),
    dg.AssetCheckSpec(
        "no_personal_data",
        asset=CANDIDATE,
        blocking=True,
        description="No personal data in the files: no personal e-mail (in any column), no "
        "phone that only comes with one, no address or coordinates of a diffusion-partielle "
        "establishment, no column naming a contact person, no column that is not declared in "
        "fields.py.",
    ),
    dg.AssetCheckSpec(
        "valid_datapackage",
        asset=CANDIDATE,
        blocking=True,
        description="datapackage.json and every file valid against its Table Schema "
        "(package.package_errors).",
    ),
]
LOCATION = ("latitude", "longitude")


@dataclass(frozen=True)
class CandidateFiles:
    """The candidate's files, each read once: the tables as text, the GeoJSON summarised."""

    parquet: pl.DataFrame
    csv: pl.DataFrame
    xlsx: pl.DataFrame
    geojson: GeoJsonSummary


def read_candidate(paths: dict[str, Path]) -> CandidateFiles:
    """Read every file of the candidate at `paths` (see export_paths)."""
    return CandidateFiles(
        parquet=pl.read_parquet(paths["parquet"]),
        csv=pl.read_csv(paths["csv"], infer_schema=False),
        xlsx=read_sheet(paths["xlsx"]),
        geojson=read_geojson(paths["geojson"]),
    )


def typed(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """`frame` typed like the Parquet file, empty text as null, numbers to the nanodegree (the
    spreadsheet keeps 16 significant digits), sorted by supplier_id; unchanged when its header
    is not the Parquet file's (differing_rows then counts every row)."""
    if frame.columns != schema.names():
        return frame
    columns = []
    for name, dtype in schema.items():
        text = pl.col(name).cast(pl.String)
        value = pl.when(text == "").then(None).otherwise(text).cast(dtype).alias(name)
        columns.append(value.round(9) if dtype.is_float() else value)
    return frame.select(columns).sort("supplier_id")


def differing_rows(reference: pl.DataFrame, other: pl.DataFrame) -> int:
    """Rows of `other` (typed and sorted like `reference`) that differ from it in any cell; a
    different header or number of rows counts every row."""
    if other.columns != reference.columns or other.height != reference.height:
        return max(reference.height, other.height)
    differs = pl.repeat(False, reference.height, eager=True)
    for name in reference.columns:
        differs |= reference.get_column(name).ne_missing(other.get_column(name))
    return int(differs.sum())


def files_agree(files: CandidateFiles) -> dg.AssetCheckResult:
    schema = files.parquet.schema
    reference = typed(files.parquet, schema)
    differing = {
        "csv": differing_rows(reference, typed(files.csv, schema)),
        "xlsx": differing_rows(reference, typed(files.xlsx, schema)),
    }
    points = files.geojson
    rfc7946 = points.kind == "FeatureCollection" and not points.has_crs and points.points_valid
    extra_points = len(set(points.ids) - set(reference.get_column("supplier_id")))
    properties = [c for c in files.csv.columns if c not in LOCATION]
    same_properties = not points.ids or sorted(properties) == points.property_names
    return dg.AssetCheckResult(
        check_name="files_agree",
        passed=not any(differing.values()) and not extra_points and rfc7946 and same_properties,
        metadata={
            "parquet": reference.height,
            "csv_rows_differing": differing["csv"],
            "xlsx_rows_differing": differing["xlsx"],
            "geojson": len(points.ids),
            "geojson_points_not_in_csv": extra_points,
            "geojson_rfc7946": rfc7946,
            "geojson_properties_are_csv_columns": same_properties,
        },
    )


def no_personal_data(files: CandidateFiles, warehouse: DuckDBResource) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        records = read_columns(con, "marts.source_records", PHONE_EVIDENCE)
        suppliers = read_columns(con, "marts.suppliers", ("supplier_id", *ESTABLISHMENT_STATUS))
    partial = suppliers.filter(partial_establishments(suppliers)).get_column("supplier_id")
    findings = privacy_findings(files.csv, personal_phones(records), set(partial.to_list()))
    headers = {
        "csv": files.csv.columns,
        "parquet": files.parquet.columns,
        "xlsx": files.xlsx.columns,
        "geojson": files.geojson.property_names,
    }
    for kind, columns in headers.items():
        extra = column_findings(columns)
        findings["undeclared_columns"] += [f"{kind}:{c}" for c in extra["undeclared_columns"]]
        findings["person_name_columns"] += [f"{kind}:{c}" for c in extra["person_name_columns"]]
    broken = {rule: found for rule, found in findings.items() if found}
    return dg.AssetCheckResult(
        check_name="no_personal_data",
        passed=not broken,
        description="; ".join(f"{rule}: {', '.join(map(str, f[:5]))}" for rule, f in broken.items())
        or None,
        metadata={
            "emails": files.csv.get_column("email").drop_nulls().len(),
            "telephones": files.csv.get_column("telephone").drop_nulls().len(),
            "diffusion_partielle": partial.len(),
            **{rule: len(found) for rule, found in findings.items()},
        },
    )


def valid_datapackage(errors: list[str]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name="valid_datapackage",
        passed=not errors,
        description="; ".join(errors[:5]) or None,
        metadata={"errors": len(errors), "first_errors": dg.MetadataValue.json(errors[:20])},
    )


@dg.multi_asset_check(specs=SPECS, name="candidate_files", pool="warehouse")
def candidate_files(warehouse: DuckDBResource, folders: Folders):
    """The candidate's files read once for files_agree and no_personal_data, while
    Frictionless validates the package in another process for valid_datapackage."""
    if unchanged := nothing_new(folders):
        for spec in SPECS:
            yield dg.AssetCheckResult(check_name=spec.name, **unchanged)
        return
    validation = start_validation(staging_folder(folders.export) / PACKAGE_FILE)
    try:
        files = read_candidate(candidate_paths(folders))
        yield files_agree(files)
        yield no_personal_data(files, warehouse)
    finally:
        errors = finish_validation(validation)
    yield valid_datapackage(errors)
