"""ESS family, agreements, reserved contracts and the NAF-CPV table, on real bundled values."""

import json
from pathlib import Path

import polars as pl
import pytest

from ess_assets.enrich.naf_cpv import cpv_divisions, load_naf_cpv, normalise_naf, with_cpv
from ess_assets.enrich.qualify import qualify

DATA = Path(__file__).resolve().parents[2] / "ess_assets" / "data"


def bundled_naf_codes() -> set[str]:
    asp = pl.read_csv(
        DATA / "iae" / "liste_siae_asp_2019-07.csv", separator=";", infer_schema=False
    )
    marche = json.loads((DATA / "marche_inclusion" / "structures_2021.json").read_text("utf-8"))
    codes = set(asp["CODE_NAF2"].drop_nulls()) | {row["naf"] for row in marche}
    return {code for code in codes if code}


def test_every_bundled_naf_code_has_cpv_divisions():
    codes = bundled_naf_codes()
    assert len(codes) > 50
    missing = sorted(code for code in codes if not cpv_divisions(code))
    assert missing == []


def test_every_cpv_division_in_the_table_is_labelled():
    labels = pl.read_csv(DATA / "enrich" / "cpv_divisions.csv", infer_schema=False)
    used = {division for divisions in load_naf_cpv().values() for division in divisions}
    assert used <= set(labels["cpv_division"])


@pytest.mark.parametrize(
    ("naf", "divisions"),
    [
        ("7820Z", ["79"]),  # temporary work agency (ETTI) -> staffing services
        ("8130Z", ["77"]),  # landscaping -> green-space services, not cleaning
        ("8121Z", ["90"]),  # cleaning of buildings
        ("4333Z", ["45"]),  # floor and wall covering -> construction work
        ("3832Z", ["90"]),  # recovery of sorted waste
        ("5621Z", ["55"]),  # caterers
        ("8899B", ["85"]),  # social work without accommodation
        ("0113Z", ["03"]),  # market gardening -> agricultural products
        ("45.20A", ["50"]),  # car repair
        ("", []),
        (None, []),
    ],
)
def test_cpv_of_real_naf_codes(naf, divisions):
    assert cpv_divisions(naf) == divisions


def test_naf_codes_get_their_dot():
    assert normalise_naf("8130Z") == "81.30Z"
    assert normalise_naf(" 81.30z ") == "81.30Z"
    assert normalise_naf("NAF") is None


def test_declared_sectors_are_added():
    frame = pl.DataFrame({"naf": ["8130Z", None], "cpv": [["90910000-9"], None]})
    assert with_cpv(frame, declared_column="cpv")["cpv_divisions"].to_list() == [["77", "90"], []]


def rows(**columns) -> pl.DataFrame:
    return qualify(pl.DataFrame(columns))


def test_family_from_the_legal_category_code_first():
    result = rows(categorie_juridique=["9220", "5458", "9300", "8210", "5710", "7210", None])
    assert result["famille_ess"].to_list() == [
        "association", "cooperative", "fondation", "mutuelle", "inconnue", "inconnue", "inconnue",
    ]  # fmt: skip
    assert "9220" in result["famille_ess_raison"][0]
    assert "droit public" in result["famille_ess_raison"][5]


def test_family_from_asp_legal_form_text():
    forms = [
        "Association déclarée ",
        "SARL coopérative ouvrière de production (SCOP)",
        "Autre SA coopérative à conseil d'administration ",
        "Mutuelle ",
        "SAS, société par actions simplifiée",
        "Communauté de communes ",
    ]
    result = rows(forme_juridique=forms)
    assert result["famille_ess"].to_list() == [
        "association", "cooperative", "cooperative", "mutuelle", "inconnue", "inconnue",
    ]  # fmt: skip
    assert "sans marque ESS" in result["famille_ess_raison"][4]


def test_commercial_ess_company_from_flag_esus_or_partner():
    result = rows(
        categorie_juridique=["5710", "5710", "5499", "5710"],
        economie_sociale_solidaire=[True, None, None, None],
        esus=[None, True, None, None],
        famille_reseau=[None, None, "cooperative", None],
        type_structure=[None, None, None, "SCIC"],
    )
    assert result["famille_ess"].to_list() == [
        "entreprise_commerciale_ess", "entreprise_commerciale_ess", "cooperative", "cooperative",
    ]  # fmt: skip
    assert result["famille_ess_raison"].to_list()[:2] == [
        "indicateur ESS de SIRENE",
        "agrément ESUS",
    ]


def test_agreements_and_reserved_contracts():
    result = rows(
        categorie_juridique=["9220", "5499", "9220", "9220", "5710"],
        types_structure=[["ACI", "AI"], ["EA"], ["ESAT"], ["GEIQ"], ["ESUS"]],
        naf=["8130Z", "8121Z", "8810C", "7830Z", "6201Z"],
    )
    assert result["agrements"].to_list() == [
        ["insertion"], ["entreprise_adaptee"], ["esat"], ["geiq"], ["esus"],
    ]  # fmt: skip
    reserved = result["marches_reserves"].to_list()
    assert reserved[0] == ["L2113-13", "L2113-14"]
    assert reserved[1] == ["L2113-12", "L2113-14"]  # an EA company, unknown ESS family
    assert reserved[2] == ["L2113-12", "L2113-14", "L2113-15"]  # ESS association in CPV 85
    assert reserved[3] == ["L2113-15"]  # GEIQ is no SIAE; an ESS association in CPV 79
    assert reserved[4] == []  # ESUS company in IT services: outside L2113-15's sectors
    assert "dépend du CPV du marché" in result["marches_reserves_raison"][2]
    assert "SIAE ACI, AI" in result["marches_reserves_raison"][0]


def test_qualify_on_the_bundled_asp_file():
    asp = pl.read_csv(
        DATA / "iae" / "liste_siae_asp_2019-07.csv", separator=";", infer_schema=False
    )
    result = qualify(
        asp.select(
            pl.col("NATURE_JURIDIQUE").alias("forme_juridique"),
            pl.col("MESURE").alias("type_structure"),
            pl.col("CODE_NAF2").alias("naf"),
        )
    )
    assert result["famille_ess"].null_count() == 0
    assert result["famille_ess_raison"].null_count() == 0
    assert (result["marches_reserves"].list.contains("L2113-13")).all()  # every row is a SIAE
    assert (result["cpv_divisions"].list.len() > 0).all()
