"""Blocking checks on the candidate publication (ESS_EXPORT_DIR/.next/).

When one fails, `export/opendata_ess` does not run: the files already published stay in
place, and the failed check says why in the UI (its description and metadata). The checks
that read the files are in file_checks.py.
"""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets.publish.files import export_paths
from ess_assets.publish.history import last_publication
from ess_assets.publish.keys import CANDIDATE, staging_folder
from ess_assets.publish.package import PACKAGE_FILE
from ess_assets.publish.policy import PublicationPolicy
from ess_assets.resources import Folders


def candidate_paths(folders: Folders) -> dict[str, Path]:
    return export_paths(staging_folder(folders.export))


def nothing_new(folders: Folders) -> dict | None:
    """A passed result's fields when export/candidate wrote nothing because the published files
    already hold today's suppliers (they passed these checks when they went out); else None."""
    if (staging_folder(folders.export) / PACKAGE_FILE).exists():
        return None
    if not (folders.export / PACKAGE_FILE).exists():
        return None  # nothing published either: the check fails on the missing files
    return {
        "passed": True,
        "description": "no new candidate: the published files, checked when they went out, stay",
        "metadata": {"skipped": True},
    }


@dg.asset_check(asset=CANDIDATE, blocking=True, pool="warehouse")
def supplier_count_holds(
    warehouse: DuckDBResource, folders: Folders, publication_policy: PublicationPolicy
) -> dg.AssetCheckResult:
    """Circuit breaker: the candidate loses at most ESS_MAX_DROP of the last publication's
    suppliers (default 10 %); a bigger fall means a source broke, not that suppliers left."""
    if unchanged := nothing_new(folders):
        return dg.AssetCheckResult(**unchanged)
    candidate = pl.read_parquet(candidate_paths(folders)["parquet"]).height
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


CHECKS = [supplier_count_holds, upstream_checks_passed]
