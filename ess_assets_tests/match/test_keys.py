"""Comparison keys, on names and addresses as the bundled lists write them."""

import pytest

from ess_assets.match import keys


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AINTERIM'AIR", ("AINTERIM AIR", None, None)),
        ("ASSOC GERMA AI", ("GERMA", "ASSOC", "AI")),
        ("GERMA ETTI", ("GERMA", None, "ETTI")),
        ("S A S VITASERVICES", ("VITASERVICES", "SAS", None)),
        ("SA MAIN FORTE", ("MAIN FORTE", "SA", None)),
        ("JARDINS DU PRADO (LES)", ("JARDINS PRADO", None, None)),
        ("ADEF+", ("ADEF PLUS", None, None)),
        # STE: a company in first position, a saint before a saint's name or elsewhere.
        ("STE DUPONT BATIMENT", ("DUPONT BATIMENT", "SOCIETE", None)),
        ("STE MARIE DES ANGES", ("SAINTE MARIE ANGES", None, None)),
        # EI inside a word is no structure kind; two kinds in one name give none.
        ("REINSERTION DU VAL", ("REINSERTION VAL", None, None)),
        ("ACI & EI REGAIN", ("REGAIN", None, None)),
    ],
)
def test_name_parts(name, expected):
    assert keys.name_parts(name) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("62 Avenue DU GEN SARRAIL", ("62", "AVENUE", "GENERAL SARRAIL")),
        ("62 Avenue du General Sarrail", ("62", "AVENUE", "GENERAL SARRAIL")),
        ("10 Rue DU ONZE NOVEMBRE 1918", ("10", "RUE", "11 NOVEMBRE 1918")),
        ("10 Rue du 11 Novembre 1918", ("10", "RUE", "11 NOVEMBRE 1918")),
        ("3 bis rue Danielle Casanova", ("3B", "RUE", "DANIELLE CASANOVA")),
        ("2 Boulevard Thomson - CS 60500", ("2", "BOULEVARD", "THOMSON")),
        ("Rue ST ELOI", (None, "RUE", "SAINT ELOI")),
        ("", (None, None, "")),
    ],
)
def test_address_parts(address, expected):
    assert keys.address_parts(address) == expected


def test_folded_address_parts_reads_an_address_line_already_folded():
    parts = keys.folded_address_parts("3 BIS AV DU GEN DE GAULLE")
    assert parts == ("3B", "AVENUE", "GENERAL GAULLE")


@pytest.mark.parametrize(
    ("commune", "expected"),
    [
        ("ST MAURICE DE BEYNOST", "SAINT MAURICE DE BEYNOST"),
        ("Saint-Maurice-de-Beynost", "SAINT MAURICE DE BEYNOST"),
        ("PARIS 10", "PARIS"),
        ("LYON 3EME", "LYON"),
        ("STE MENEHOULD", "SAINTE MENEHOULD"),
        ("MARSEILLE CEDEX 02", "MARSEILLE"),
    ],
)
def test_commune_key(commune, expected):
    assert keys.commune_key(commune) == expected


def test_commune_code_key_maps_arrondissements_to_their_commune():
    assert keys.commune_code_key("69383") == "69123"
    assert keys.commune_code_key("75110") == "75056"
    assert keys.commune_code_key("01004") == "01004"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Association déclarée ", "ASSOC"),
        ("SARL coopérative ouvrière de production (SCOP)", "SCOP"),
        ("SAS, société par actions simplifiée", "SAS"),
        ("Société en nom collectif", "SNC"),
        ("", None),
    ],
)
def test_legal_form_of(label, expected):
    assert keys.legal_form_of(label) == expected


def test_kinds_compatible():
    assert keys.kinds_compatible("ACI", "AI")
    assert keys.kinds_compatible("ACI", "EI")
    assert not keys.kinds_compatible("AI", "ETTI")


def test_loose_name_key_sets_commune_words_numbers_and_plurals_aside():
    assert keys.loose_name_key("CAP INTERIM 62 ARRAS", "ARRAS") == "CAP INTERIM"
    assert keys.loose_name_key("REGIE QUARTIERS IMPULSION", "CARVIN") == "REGIE QUARTIER IMPULSION"


def test_contact_keys():
    assert keys.phone_key("04 71 76 74 97") == keys.phone_key("+33471767497") == "471767497"
    assert keys.email_key(" Compta@Cotiere-Avenir.fr ") == "compta@cotiere-avenir.fr"
    assert keys.website_key("https://www.baluchon.fr/contact") == "baluchon.fr"
