"""Blocking checks on the candidate publication (ESS_EXPORT_DIR/.next/), run on the files.

When one fails, `export/opendata_ess` does not run: the files already published stay in
place, and the failed check says why in the UI (its description and metadata).
"""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets.publish.files import export_paths, read_geojson
from ess_assets.publish.history import last_publication
from ess_assets.publish.keys import CANDIDATE, staging_folder
from ess_assets.publish.package import PACKAGE_FILE, package_errors
from ess_assets.publish.policy import PublicationPolicy
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


def _candidate(folders: Folders) -> dict[str, Path]:
    return export_paths(staging_folder(folders.export))


def _nothing_new(folders: Folders) -> dg.AssetCheckResult | None:
    """A passed result when export/candidate wrote nothing because the published files already
    hold today's suppliers (they passed these checks when they went out); None otherwise."""
    if (staging_folder(folders.export) / PACKAGE_FILE).exists():
        return None
    if not (folders.export / PACKAGE_FILE).exists():
        return None  # nothing published either: the check fails on the missing files
    return dg.AssetCheckResult(
        passed=True,
        description="no new candidate: the published files, checked when they went out, stay",
        metadata={"skipped": True},
    )


def _headers(paths: dict[str, Path]) -> dict[str, list[str]]:
    return {
        "csv": pl.read_csv(paths["csv"], n_rows=0).columns,
        "parquet": pl.read_parquet_schema(paths["parquet"]).names(),
        "xlsx": read_sheet(paths["xlsx"]).columns,
        "geojson": read_geojson(paths["geojson"]).property_names,
    }


def _typed(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
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


@dg.asset_check(asset=CANDIDATE, blocking=True)
def files_agree(folders: Folders) -> dg.AssetCheckResult:
    """Parquet and spreadsheet hold the CSV's cells, row for row (Frictionless validates the
    CSV: see valid_datapackage); the GeoJSON (RFC 7946) holds the CSV's located suppliers."""
    if unchanged := _nothing_new(folders):
        return unchanged
    paths = _candidate(folders)
    parquet = pl.read_parquet(paths["parquet"])
    reference = _typed(parquet, parquet.schema)
    csv = _typed(pl.read_csv(paths["csv"], infer_schema=False), parquet.schema)
    xlsx = _typed(read_sheet(paths["xlsx"]), parquet.schema)
    points = read_geojson(paths["geojson"])
    rfc7946 = points.kind == "FeatureCollection" and not points.has_crs and points.points_valid
    differing = {"csv": differing_rows(reference, csv), "xlsx": differing_rows(reference, xlsx)}
    ids = set(reference.get_column("supplier_id"))
    extra_points = len(set(points.ids) - ids)
    return dg.AssetCheckResult(
        passed=not any(differing.values()) and not extra_points and rfc7946,
        metadata={
            "parquet": reference.height,
            "csv_rows_differing": differing["csv"],
            "xlsx_rows_differing": differing["xlsx"],
            "geojson": len(points.ids),
            "geojson_points_not_in_csv": extra_points,
            "geojson_rfc7946": rfc7946,
        },
    )


@dg.asset_check(asset=CANDIDATE, blocking=True)
def no_personal_data(warehouse: DuckDBResource, folders: Folders) -> dg.AssetCheckResult:
    """No personal data in the files: no personal e-mail (in any column), no phone that only
    comes with one, no address or coordinates of a diffusion-partielle establishment, no
    column naming a contact person, no column that is not declared in fields.py."""
    if unchanged := _nothing_new(folders):
        return unchanged
    paths = _candidate(folders)
    with warehouse.get_connection() as con:
        records = read_columns(con, "marts.source_records", PHONE_EVIDENCE)
        suppliers = read_columns(con, "marts.suppliers", ("supplier_id", *ESTABLISHMENT_STATUS))
    partial = suppliers.filter(partial_establishments(suppliers)).get_column("supplier_id")
    csv = pl.read_csv(paths["csv"], infer_schema=False)
    findings = privacy_findings(csv, personal_phones(records), set(partial.to_list()))
    for kind, columns in _headers(paths).items():
        extra = column_findings(columns)
        findings["undeclared_columns"] += [f"{kind}:{c}" for c in extra["undeclared_columns"]]
        findings["person_name_columns"] += [f"{kind}:{c}" for c in extra["person_name_columns"]]
    broken = {rule: found for rule, found in findings.items() if found}
    return dg.AssetCheckResult(
        passed=not broken,
        description="; ".join(f"{rule}: {', '.join(map(str, f[:5]))}" for rule, f in broken.items())
        or None,
        metadata={
            "emails": csv.get_column("email").drop_nulls().len(),
            "telephones": csv.get_column("telephone").drop_nulls().len(),
            "diffusion_partielle": partial.len(),
            **{rule: len(found) for rule, found in findings.items()},
        },
    )


@dg.asset_check(asset=CANDIDATE, blocking=True)
def valid_datapackage(folders: Folders) -> dg.AssetCheckResult:
    """datapackage.json and every file valid against its Table Schema (package_errors)."""
    if unchanged := _nothing_new(folders):
        return unchanged
    errors = package_errors(staging_folder(folders.export) / PACKAGE_FILE)
    return dg.AssetCheckResult(
        passed=not errors,
        description="; ".join(errors[:5]) or None,
        metadata={"errors": len(errors), "first_errors": dg.MetadataValue.json(errors[:20])},
    )


@dg.asset_check(asset=CANDIDATE, blocking=True)
def supplier_count_holds(
    warehouse: DuckDBResource, folders: Folders, publication_policy: PublicationPolicy
) -> dg.AssetCheckResult:
    """Circuit breaker: the candidate loses at most ESS_MAX_DROP of the last publication's
    suppliers (default 10 %); a bigger fall means a source broke, not that suppliers left."""
    if unchanged := _nothing_new(folders):
        return unchanged
    candidate = pl.read_parquet(_candidate(folders)["parquet"]).height
    with warehouse.get_connection() as con:
        last = last_publication(con)
    before = last["suppliers"] if last else None
    drop = (before - candidate) / before if before else 0.0
    passed = candidate > 0 and drop <= publication_policy.max_drop
    reason = None
    if not passed:
        reason = (
            f"publication refused: {candidate} suppliers against {before} in the last "
            f"publication ({last['published_at']:%Y-%m-%d %H:%M}), a fall of {drop:.1%} > "
            f"ESS_MAX_DROP {publication_policy.max_drop:.0%}; the last publication stays. "
            "Look for a source that lost rows, or raise ESS_MAX_DROP for one run."
            if last
            else "publication refused: the candidate holds no supplier"
        )
    return dg.AssetCheckResult(
        passed=passed,
        description=reason,
        metadata={
            "candidate": candidate,
            "last_publication": before or 0,
            "drop_share": round(drop, 4),
            "max_drop": publication_policy.max_drop,
        },
    )


@dg.asset_check(asset=CANDIDATE, blocking=True)
def upstream_checks_passed(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    """The last evaluation of every blocking check upstream passed (it matters when the export
    is materialised on its own, from the UI: in a full run a failed one stops the run first)."""
    graph = context.job_def.asset_layer.asset_graph
    upstream = graph.get_ancestor_asset_keys(CANDIDATE) - {CANDIDATE}
    failed = []
    for key in graph.asset_check_keys:
        if key.asset_key not in upstream or not graph.get_check_spec(key).blocking:
            continue
        record = context.instance.get_latest_asset_check_evaluation_record(key)
        evaluation = record.evaluation if record else None
        if evaluation is not None and not evaluation.passed:
            failed.append(key.to_user_string())
    return dg.AssetCheckResult(
        passed=not failed,
        description=f"blocking checks failed upstream: {', '.join(failed)}" if failed else None,
        metadata={"failed_upstream": dg.MetadataValue.json(failed)},
    )


CHECKS = [
    files_agree,
    no_personal_data,
    valid_datapackage,
    supplier_count_holds,
    upstream_checks_passed,
]
