"""Normalisation of whole sources, on real rows of the bundled files (expected values by hand)."""

import polars as pl
import pytest

from ess_assets.normalise.commune import default_index
from ess_assets.normalise.records import to_records
from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets.sources.assets import record_ids
from ess_assets.sources.read import read_source
from ess_assets.sources.registry import source_named


def normalise(name: str, content: bytes | None = None):
    source = source_named(name)
    content = content or (BUNDLED_DATA_DIR / source.fetch.path).read_bytes()
    read = read_source(source, content, source.fetch.path)
    raw = read.frame.with_columns(record_ids(read.frame, source.record_id))
    return to_records(source, raw, default_index()), raw


@pytest.fixture(scope="module")
def asp() -> pl.DataFrame:
    normalised, _ = normalise("asp_siae")
    return normalised.records


def row(records: pl.DataFrame, line: int) -> dict:
    return records.filter(pl.col("source_line") == line).row(0, named=True)


def test_every_asp_row_normalised(asp):
    assert asp.height == 448


def test_three_character_department_and_upper_case_commune(asp):
    ainterim = row(asp, 2)  # ETTI;001;AIN;01500;AMBERIEU EN BUGEY;7820Z;...
    assert ainterim["departement"] == "01"
    assert ainterim["code_commune"] == "01004"
    assert ainterim["commune"] == "Ambérieu-en-Bugey"
    assert ainterim["naf"] == "78.20Z"
    assert ainterim["adresse"] == "62 Avenue DU GEN SARRAIL"
    assert ainterim["siren"] == "410717714"


def test_siret_repeated_across_departments_keeps_two_records(asp):
    avenir = asp.filter(pl.col("siret") == "34776963000026")
    assert avenir.get_column("source_record_id").to_list() == [
        "34776963000026-ACI",
        "34776963000026-ACI#2",
    ]


def test_postcode_outside_the_department(asp):
    riom = row(asp, 54)  # department 003 (Allier), postcode 63200 RIOM (Puy-de-Dôme)
    assert (riom["code_commune"], riom["departement"]) == ("63300", "63")
    assert riom["adresse"] == "LA LUAS"  # empty street number, leading blank dropped


def test_empty_street_number_and_name(asp):
    providence = row(asp, 130)  # NUM_RUE and NOM_RUE both blank
    assert providence["adresse"] is None
    assert providence["code_commune"] == "26311"


def test_lyon_arrondissement(asp):
    ies = row(asp, 316)  # LYON 03
    assert (ies["code_commune"], ies["commune"]) == ("69383", "Lyon 3e Arrondissement")
    assert ies["telephone"] == "+33414581462"


def test_mixed_case_commune_and_coordinates():
    normalised, _ = normalise("marche_inclusion")
    records = normalised.records
    cotiere = records.filter(pl.col("siret") == "34356040500023").row(0, named=True)
    assert cotiere["code_commune"] == "01376"  # Saint-Maurice-de-Beynost
    assert -180 <= cotiere["longitude"] <= 180 and cotiere["latitude"] > 40


def test_geiq_siret_with_a_leading_tab():
    normalised, _ = normalise("geiq")
    tabbed = normalised.records.filter(pl.col("siret_source") == "\t84302481100013")
    assert tabbed.get_column("siret").to_list() == ["84302481100013"]
    assert tabbed.get_column("siret_valide").to_list() == [True]


def test_row_without_name_is_quarantined_with_its_reason():
    content = (BUNDLED_DATA_DIR / "iae" / "liste_siae_asp_2019-07.csv").read_bytes()
    content = content.replace(b";AINTERIM'AIR;", b";;", 1)
    normalised, raw = normalise("asp_siae", content)
    assert normalised.records.height + normalised.quarantine.height == raw.height == 448
    held = normalised.quarantine.row(0, named=True)
    assert (held["source_line"], held["source_record_id"]) == (2, "41071771400035-ETTI")
    assert held["reason"].startswith("no name")
    assert '"SIRET": "41071771400035"' in held["raw"]


def test_invalid_siret_is_kept_and_flagged():
    content = (BUNDLED_DATA_DIR / "iae" / "liste_siae_asp_2019-07.csv").read_bytes()
    content = content.replace(b"41071771400035", b"41071771400036", 1)
    normalised, _ = normalise("asp_siae", content)
    record = row(normalised.records, 2)
    assert (record["siret"], record["siret_valide"], record["siren"]) == (
        "41071771400036",
        False,
        None,
    )
