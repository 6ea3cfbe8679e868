"""Two daily runs on a copy of the bundled data: the publication, its privacy, its change feed.

The copy carries real-shaped personal data in the GEIQ directory (a first name at a consumer
provider, with the phone that goes with it) and a role address; between the two runs one
GEIQ's e-mail changes, and nothing else.
"""

import csv
import json
import shutil

import duckdb
import polars as pl
import pytest
from openpyxl import load_workbook

from ess_assets.publish.package import package_errors
from ess_assets.publish.views import EXAMPLE_QUERIES, VIEWS
from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets_tests.conftest import make_settings, query, run_day

GEIQ_FILE = ("iae", "geiq_2019-11.csv")
PERSONAL = ("GEIQ TRANSPORT ET LOGISTIQUE D'AUVERGNE", "marie.dupont@gmail.com")
ROLE = ("GEIQ METIERS DU TOURISME PAYS DE SAVOIE", "contact@geiq-mt.com")
CHANGED = ("GEIQ ADRIAL", "contact@adrial.org", "accueil@adrial.org")


def _set_emails(path, emails: dict[str, str]) -> str | None:
    """Rewrite the GEIQ file with new EMAIL values; returns the phone of the first one."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    header, phone = rows[0], None
    for row in rows[1:]:
        if row[header.index("GEIQ")] in emails:
            row[header.index("EMAIL")] = emails[row[header.index("GEIQ")]]
            phone = phone or row[header.index("TEL")]
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, delimiter=";", lineterminator="\n").writerows(rows)
    return phone


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("publication")
    data = root / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    settings = make_settings(root, data_dir=data)
    geiq = data.joinpath(*GEIQ_FILE)
    _set_emails(geiq, {PERSONAL[0]: PERSONAL[1], ROLE[0]: ROLE[1], CHANGED[0]: CHANGED[1]})
    first = run_day(settings)
    published = settings.export_dir / "opendata_ess.csv"
    first_csv = pl.read_csv(published, infer_schema=False)
    _set_emails(geiq, {CHANGED[0]: CHANGED[2]})
    second = run_day(settings)
    return settings, first, second, first_csv


def test_both_runs_publish(runs):
    settings, first, second, _ = runs
    assert all(result.success for result in [*first.values(), *second.values()])
    assert query(settings, "SELECT count(*) FROM publish.publications")[0][0] == 2
    assert not list((settings.export_dir / ".next").iterdir())


def test_datapackage_is_valid_for_frictionless(runs):
    settings = runs[0]
    assert package_errors(settings.export_dir / "datapackage.json") == []
    package = json.loads((settings.export_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert {source["title"] for source in package["sources"]} >= {"Annuaire des GEIQ"}
    assert all(source["date"] for source in package["sources"])


def test_spreadsheet_has_frozen_header_and_described_columns(runs):
    workbook = load_workbook(runs[0].export_dir / "opendata_ess.xlsx")
    data, described = workbook.worksheets
    assert data.freeze_panes == "A2" and described.freeze_panes == "A2"
    assert all(cell.font.bold for cell in data[1]) and data.auto_filter.ref.startswith("A1:")
    assert data.column_dimensions["A"].width > 10  # supplier ids are not cut
    header = [cell.value for cell in data[1]]
    assert [row[0] for row in described.iter_rows(min_row=2, values_only=True)] == header


def test_personal_email_and_its_phone_stripped_role_address_kept(runs):
    settings = runs[0]
    export = settings.export_dir
    texts = [
        (export / f"opendata_ess.{kind}").read_text(encoding="utf-8") for kind in ("csv", "geojson")
    ]
    phone = query(
        settings, "SELECT telephone FROM marts.source_records WHERE email = ?", [PERSONAL[1]]
    )
    assert phone and phone[0][0], "the personal e-mail's record carries a phone"
    for text in texts:
        assert PERSONAL[1] not in text and phone[0][0] not in text
        assert ROLE[1] in text
    cells = {
        c for row in load_workbook(export / "opendata_ess.xlsx").worksheets[0].values for c in row
    }
    assert PERSONAL[1] not in cells and ROLE[1] in cells


def test_change_feed_holds_exactly_the_changed_email(runs):
    settings, *_, first_csv = runs
    feeds = sorted((settings.export_dir / "changes").glob("*.json"))
    # two publications the same day: the second feed does not replace the first
    assert [path.name[10:] for path in feeds] == [".json", "_02.json"]
    first = json.loads(feeds[0].read_text(encoding="utf-8"))
    assert len(first["added"]) == first["suppliers"] and first["previous_publication_id"] is None
    feed = json.loads(feeds[-1].read_text(encoding="utf-8"))
    assert feed["previous_publication_id"] == first["publication_id"]
    assert feed["added"] == [] and feed["removed"] == []
    [change] = feed["changed"]
    assert change["fields"] == {"email": {"old": CHANGED[1], "new": CHANGED[2]}}
    supplier = first_csv.filter(pl.col("email") == CHANGED[1]).get_column("supplier_id")
    assert change["supplier_id"] == supplier.item()
    history = query(
        settings,
        "SELECT change, count(*) FROM publish.changes WHERE publication_id = ? GROUP BY ALL",
        [feed["publication_id"]],
    )
    assert history == [("changed", 1)]


def test_partner_feeds_name_hub_ids_and_anomalies(runs):
    settings = runs[0]
    feeds = settings.export_dir / "partners"
    sources = query(settings, "SELECT DISTINCT source FROM marts.source_records")
    assert {path.name for path in feeds.iterdir()} == {name for (name,) in sources}
    coorace = json.loads((feeds / "coorace" / "retour_hub.json").read_text(encoding="utf-8"))
    records = coorace["enregistrements"]
    assert all(record["supplier_id"].startswith("ess-") for record in records)
    assert any(record["champs_hub"] for record in records)
    kinds = {a["type"] for r in records for a in r["anomalies"]}
    assert "doublon" in kinds  # the antenna given its head office's SIRET
    assert pl.read_csv(feeds / "coorace" / "retour_hub.csv").height > 0


def test_example_queries_run_and_views_are_documented(runs):
    settings = runs[0]
    for title, sql in EXAMPLE_QUERIES.items():
        assert query(settings, sql), title
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        undocumented = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE schema_name IN ('analytics', 'publish') AND comment IS NULL"
        ).fetchall()
        views = con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'analytics' "
            "AND comment IS NOT NULL"
        ).fetchall()[0][0]
    assert undocumented == []
    assert views == len(VIEWS)
