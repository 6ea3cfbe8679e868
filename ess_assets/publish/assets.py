"""Publication: prepare the open-data files aside, check them, then put them in place.

`export/candidate` writes the day's files in ESS_EXPORT_DIR/.next/; the blocking checks of
`checks.py` read them; only when every one passes does `export/opendata_ess` move them into
ESS_EXPORT_DIR, write the change feed and log the publication. `export/partner_feeds` then
writes each partner's return feed.
"""

import json
import shutil
from datetime import UTC, datetime, timedelta

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets import incremental
from ess_assets.match.assets import SUPPLIERS
from ess_assets.metadata import preview
from ess_assets.publish import checks, file_checks
from ess_assets.publish.changes import change_rows, compare, feed_counts, write_feed
from ess_assets.publish.fields import FIELDS
from ess_assets.publish.files import KINDS, export_paths, release, write_export
from ess_assets.publish.history import (
    PUBLISHED,
    SOURCE_COLUMNS,
    last_publication,
    previous_rows,
    record_publication,
)
from ess_assets.publish.keys import CANDIDATE, EXPORT, PARTNER_FEEDS, staging_folder
from ess_assets.publish.package import PACKAGE_FILE, source_credits, write_datapackage
from ess_assets.publish.partner_feeds import closed_suppliers, write_partner_feeds
from ess_assets.publish.privacy import public_rows, strip_personal_contacts
from ess_assets.publish.views import refresh_views
from ess_assets.resources import Folders
from ess_assets.sources.registry import registry
from ess_assets.warehouse import read_columns, read_table

# Part of the publication fingerprints: change it when a privacy rule or a file changes.
PUBLISH_VERSION = "2026-12-04"
PUBLISHED_STEP = "export.opendata_ess"
FEEDS_STEP = "export.partner_feeds"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _inputs(con) -> str:
    """What a publication is made of: the enriched suppliers, the source records (personal
    contacts to withhold) and the dates of the sources' snapshots (the package's credits)."""
    return incremental.fingerprint(
        PUBLISH_VERSION,
        incremental.upstream(con, "marts.suppliers", "marts.source_records"),
        json.dumps(source_credits(con), sort_keys=True),
    )


def _already_published(at: datetime) -> dg.MaterializeResult:
    """The result of a publication step with nothing new: its files went out at `at`."""
    reason = f"published {at:%Y-%m-%d %H:%M:%S} UTC from the same inputs"
    return dg.MaterializeResult(metadata={"skipped": True, "reason": reason})


def _published(folders: Folders) -> bool:
    return (folders.export / PACKAGE_FILE).exists() and all(
        path.exists() for path in export_paths(folders.export).values()
    )


def _column_schema(columns: list[str]) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[dg.TableColumn(f.name, f.type, f.description) for f in FIELDS if f.name in columns]
    )


@dg.asset(
    key=CANDIDATE,
    group_name="publish",
    deps=[SUPPLIERS],
    kinds={"csv", "parquet", "xlsx"},
    pool="warehouse",
)
def candidate(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, folders: Folders
) -> dg.MaterializeResult:
    """The day's open-data files, written aside in ESS_EXPORT_DIR/.next/ to be checked.

    One row per supplier of marts.suppliers, with the privacy rules applied (privacy.py) and
    only the fields declared in fields.py: CSV, Parquet, GeoJSON, spreadsheet and the
    Frictionless datapackage.json. Nothing published changes until the checks pass.
    """
    folder = staging_folder(folders.export)
    with warehouse.get_connection() as con:
        done = incremental.unchanged_since(con, PUBLISHED_STEP, _inputs(con), [])
        if done and _published(folders):
            shutil.rmtree(folder, ignore_errors=True)
            context.log.info("the published files already hold today's suppliers: no candidate")
            return _already_published(done)
        suppliers = read_table(con, "marts.suppliers")
        records = read_table(con, "marts.source_records")
        credits = source_credits(con)
        last = last_publication(con)
    published, removed = public_rows(suppliers)
    _, withheld = strip_personal_contacts(records)
    shutil.rmtree(folder, ignore_errors=True)
    paths = write_export(published, folder)
    write_datapackage(
        paths, tuple(f for f in FIELDS if f.name in published.columns), credits, _now()
    )
    context.log.info(f"candidate of {published.height} suppliers written in {folder}")
    left_out = removed.pop("columns_not_published")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": published.height,
            "dagster/column_schema": _column_schema(published.columns),
            "last_publication": last["suppliers"] if last else 0,
            "records_with_personal_email_withheld": withheld["emails_removed"],
            "records_with_phone_withheld": withheld["phones_removed"],
            **{f"published_{name}": count for name, count in removed.items()},
            "columns_not_published": ", ".join(left_out),
            "folder": dg.MetadataValue.path(str(folder)),
            "preview": preview(published.select("supplier_id", "nom", "commune", "sources")),
        }
    )


@dg.asset(
    key=EXPORT,
    group_name="publish",
    deps=[CANDIDATE],
    kinds={"csv", "parquet", "xlsx"},
    pool="warehouse",
    # Published every morning: late after 26 hours, failed after two days without a run.
    freshness_policy=dg.FreshnessPolicy.time_window(
        fail_window=timedelta(days=2), warn_window=timedelta(hours=26)
    ),
)
def opendata_ess(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, folders: Folders
) -> dg.MaterializeResult:
    """The published open-data files in ESS_EXPORT_DIR, and the day's change feed.

    The checked candidate replaces the published files one by one (os.replace), then
    changes/YYYY-MM-DD.json (YYYY-MM-DD_02.json for a second one that day) lists the suppliers
    added, removed and changed since the last publication, and the warehouse logs it
    (publish.*, analytics.* views).
    """
    staging, published_at = staging_folder(folders.export), _now()
    with warehouse.get_connection() as con:
        inputs = _inputs(con)
        done = incremental.unchanged_since(con, PUBLISHED_STEP, inputs, [])
    if not (staging / PACKAGE_FILE).exists():
        if done and _published(folders):
            context.log.info("no candidate: the published files stay as they are")
            return _already_published(done)
        raise dg.Failure(f"no candidate in {staging}: materialise export/candidate first")
    published = pl.read_parquet(export_paths(staging)["parquet"])
    with warehouse.get_connection() as con:
        previous, last = previous_rows(con), last_publication(con)
        records = read_columns(con, "marts.source_records", SOURCE_COLUMNS)
    feed = compare(previous, published)
    names = [path.name for path in export_paths(staging).values()] + [PACKAGE_FILE]
    hashes = release(staging, folders.export, names)
    header = {
        "date": f"{published_at:%Y-%m-%d}",
        "publication_id": context.run_id,
        "previous_publication_id": last["publication_id"] if last else None,
        "suppliers": published.height,
    }
    feed_path = write_feed(feed, folders.export, header, published_at.date())
    rows = change_rows(feed, context.run_id, published_at.date())
    with warehouse.get_connection() as con:
        record_publication(
            con,
            publication_id=context.run_id,
            published_at=published_at,
            published=published,
            records=records,
            changes=rows,
            hashes=hashes,
        )
        refresh_views(con, published)
        incremental.remember(con, PUBLISHED_STEP, inputs)
    counts = feed_counts(feed)
    context.log.info(f"published {published.height} suppliers; changes: {counts}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": published.height,
            **counts,
            "change_feed": dg.MetadataValue.path(str(feed_path)),
            **{
                kind: dg.MetadataValue.path(str(folders.export / f"opendata_ess.{kind}"))
                for kind in KINDS
            },
        }
    )


@dg.asset(
    key=PARTNER_FEEDS, group_name="publish", deps=[EXPORT], kinds={"json", "csv"}, pool="warehouse"
)
def partner_feeds(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, folders: Folders
) -> dg.MaterializeResult:
    """One return feed per partner, in ESS_EXPORT_DIR/partners/<source>/retour_hub.{json,csv}.

    Each record of the partner as the hub sees it after the last publication: its
    supplier_id, the fields the hub filled or corrected and where from, the anomalies found,
    and suppliers of the same family of networks the partner might count as members.
    """
    folder = folders.export / "partners"
    with warehouse.get_connection() as con:
        inputs = incremental.fingerprint(
            PUBLISH_VERSION,
            incremental.upstream(con, PUBLISHED_STEP, "marts.suppliers", "marts.source_records"),
        )
        if folder.exists() and (skipped := incremental.skip(con, FEEDS_STEP, inputs, [])):
            context.log.info("publication and records unchanged: return feeds kept")
            return skipped
        published = read_table(con, PUBLISHED)
        records, _ = strip_personal_contacts(read_table(con, "marts.source_records"))
        closed = closed_suppliers(read_table(con, "marts.suppliers"))
    sources = {source.name: source for source in registry()}
    table = write_partner_feeds(folder, sources, records, published, closed, _now())
    with warehouse.get_connection() as con:
        incremental.remember(con, FEEDS_STEP, inputs)
    context.log.info(f"return feeds written for {table.height} partners")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": table.height,
            "feeds": preview(table, rows=30),
            "folder": dg.MetadataValue.path(str(folders.export / "partners")),
        }
    )


ASSETS = [candidate, opendata_ess, partner_feeds]
CHECKS = [*checks.CHECKS, file_checks.candidate_files]
