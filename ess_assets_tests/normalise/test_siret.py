"""SIRET cleaning and validation, on SIRETs written by the bundled sources."""

import polars as pl
import pytest
from stdnum.fr import siret as stdnum_siret

from ess_assets.normalise.siret import clean_siret, is_valid_siret, siren_of, siret_columns


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("41071771400035", "41071771400035"),  # ASP, AINTERIM'AIR
        ("\t84302481100013", "84302481100013"),  # GEIQ INDUSTRIE AUVERGNE, leading tab
        ("343 560 405 00023", "34356040500023"),
        ("343\u00a0560\u00a0405\u00a000023", "34356040500023"),  # non-breaking spaces
        ("343.560.405.00023", "34356040500023"),
        (" 410717714 ", "410717714"),  # a SIREN: cleaned, not 14 digits, kept for display
        ("   ", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_siret(raw, expected):
    assert clean_siret(raw) == expected


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("41071771400035", True),  # ASP, AINTERIM'AIR
        ("34356040500023", True),  # ASP, COTIERE AVENIR
        ("\t84302481100013", True),  # GEIQ, valid once the tab is gone
        ("39049547100026", True),  # GEIQ 69
        ("39049547100027", False),  # GEIQ 69 with its last digit changed: fails Luhn
        ("35600000000048", True),  # La Poste head office, fails Luhn, valid by its own rule
        ("35600000000049", False),
        ("00000000000000", False),  # Luhn-valid placeholder
        ("55555555555555", False),
        ("11122233344455", False),
        ("12345678901234", False),
        ("23456789012345", False),
        ("34356040599918", False),  # pseudo-SIRET: NIC 999xx (Luhn-valid)
        ("410717714", False),  # SIREN only
        ("4107177140003A", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_siret(siret, valid):
    assert is_valid_siret(siret) is valid


@pytest.mark.parametrize("placeholder", ["34356040599918", "00000000000000"])
def test_placeholders_pass_stdnum_so_our_rules_are_what_reject_them(placeholder):
    assert stdnum_siret.is_valid(placeholder)
    assert not is_valid_siret(placeholder)


@pytest.mark.parametrize(
    ("siret", "siren"),
    [("\t84302481100013", "843024811"), ("35600000000048", "356000000"), ("39049547100027", None)],
)
def test_siren_of(siret, siren):
    assert siren_of(siret) == siren


def test_siret_columns():
    raw = ["\t84302481100013", "39049547100027", "410717714", None, " ", "00000000000000"]
    out = siret_columns(pl.DataFrame({"siret_source": raw}), "siret_source")

    assert out.columns == ["siret_source", "siret", "siret_valide", "siren"]
    assert out.get_column("siret_source").to_list() == raw
    assert out.get_column("siret").to_list() == [
        "84302481100013",
        "39049547100027",
        None,
        None,
        None,
        "00000000000000",
    ]
    assert out.get_column("siret_valide").to_list() == [True, False, False, False, False, False]
    assert out.get_column("siren").to_list() == ["843024811", None, None, None, None, None]
