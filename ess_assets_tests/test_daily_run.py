"""End to end: the whole daily job on the bundled snapshot, into a tmp_path warehouse.

Expected counts are computed here from the bundled files with the standard library and
python-stdnum, independently of the pipeline's code.
"""

import csv
import json

import polars as pl
from stdnum.fr import siret as stdnum_siret

from ess_assets.settings import BUNDLED_DATA_DIR


def _bundled_sirets() -> list[str]:
    """Every SIRET of the three public files, cleaned of blanks."""
    asp = BUNDLED_DATA_DIR / "iae" / "liste_siae_asp_2019-07.csv"
    geiq = BUNDLED_DATA_DIR / "iae" / "geiq_2019-11.csv"
    marche = BUNDLED_DATA_DIR / "marche_inclusion" / "structures_2021.json"
    with asp.open(encoding="utf-8") as file:
        sirets = [row["SIRET"] for row in csv.DictReader(file, delimiter=";")]
    with geiq.open(encoding="utf-8") as file:
        sirets += [row["SIRET"] for row in csv.DictReader(file, delimiter=";")]
    sirets += [row["siret"] for row in json.loads(marche.read_text(encoding="utf-8"))]
    return ["".join(s.split()) for s in sirets]


def test_daily_run_builds_warehouse_and_export(settings, run_day, query):
    results = run_day(settings)
    assert all(result.success for result in results.values())

    sirets = _bundled_sirets()
    assert len(sirets) == 448 + 37 + 458
    valid = {s for s in sirets if stdnum_siret.is_valid(s)}
    without_valid = [s for s in sirets if not stdnum_siret.is_valid(s)]

    public = "source IN ('asp_siae', 'geiq', 'marche_inclusion')"
    records, public_suppliers = query(
        settings,
        f"SELECT count(*), count(DISTINCT supplier_id) FROM marts.source_records WHERE {public}",
    )[0]
    quarantined = query(settings, f"SELECT count(*) FROM quarantine.all_sources WHERE {public}")
    assert records + quarantined[0][0] == len(sirets)
    assert quarantined[0][0] == 0
    assert public_suppliers == len(valid) + len(without_valid) == 459

    # every record of every source is either linked or quarantined
    for name, read in query(settings, "SELECT source, rows FROM raw.snapshots"):
        linked = query(
            settings, "SELECT count(*) FROM marts.source_records WHERE source = ?", [name]
        )
        held = query(
            settings, "SELECT count(*) FROM quarantine.all_sources WHERE source = ?", [name]
        )
        unreadable = query(settings, f"SELECT count(*) FROM raw.{name}_unreadable")
        assert linked[0][0] + held[0][0] == read + unreadable[0][0], name
    suppliers = query(settings, "SELECT count(*) FROM marts.suppliers")[0][0]

    # records sharing a valid SIRET share one supplier
    split = query(
        settings,
        "SELECT siret FROM marts.source_records WHERE siret_valide "
        "GROUP BY siret HAVING count(DISTINCT supplier_id) > 1",
    )
    assert split == []

    export = settings.export_dir
    csv_rows = pl.read_csv(export / "opendata_ess.csv", infer_schema=False)
    parquet_rows = pl.read_parquet(export / "opendata_ess.parquet")
    features = json.loads((export / "opendata_ess.geojson").read_text())["features"]
    assert csv_rows.height == parquet_rows.height == suppliers
    located = parquet_rows.filter(pl.col("latitude").is_not_null()).height
    assert len(features) == located
    assert all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in features)


def test_supplier_ids_are_stable_across_runs(settings, run_day, query):
    run_day(settings)
    first = dict(query(settings, "SELECT siret, supplier_id FROM marts.suppliers"))
    run_day(settings)
    second = dict(query(settings, "SELECT siret, supplier_id FROM marts.suppliers"))
    assert first == second


def test_supplier_ids_do_not_depend_on_history(make_settings, run_day, query, tmp_path):
    one, two = make_settings(tmp_path / "one"), make_settings(tmp_path / "two")
    run_day(one)
    run_day(two)
    sql = "SELECT siret, supplier_id FROM marts.suppliers ORDER BY supplier_id"
    assert query(one, sql) == query(two, sql)


def test_published_emails_are_role_addresses(settings, run_day):
    run_day(settings)
    published = pl.read_csv(settings.export_dir / "opendata_ess.csv", infer_schema=False)
    emails = published.get_column("email").drop_nulls().to_list()
    assert emails, "some role addresses are expected in the bundled data"
    # a stand-in personal address of the ASP file (AINTERIM'AIR) must not be published
    assert "julie.leroy@ag2i.org" not in emails
    assert "compta@cotiere-avenir.fr" in emails
