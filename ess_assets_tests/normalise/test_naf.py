"""NAF codes to the SIRENE format."""

import pytest

from ess_assets.normalise.naf import clean_naf


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7820Z", "78.20Z"),  # ASP, AINTERIM'AIR
        ("78.20Z", "78.20Z"),
        ("78 20 Z", "78.20Z"),
        (" 8899b ", "88.99B"),
        ("88.10A", "88.10A"),
        ("748K", None),  # NAF rev1
        ("7820", None),
        ("78201", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_naf(raw, expected):
    assert clean_naf(raw) == expected
