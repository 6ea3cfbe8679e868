"""Folding of names into `nom_normalise`."""

import pytest

from ess_assets.normalise.names import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("AINTERIM'AIR", "AINTERIM AIR"),  # ASP
        ("Saint-Maurice-de-Beynost", "SAINT MAURICE DE BEYNOST"),  # Marché de l'inclusion
        ("ST MAURICE DE BEYNOST", "ST MAURICE DE BEYNOST"),  # abbreviations are left to matching
        ("Ambérieu-en-Bugey", "AMBERIEU EN BUGEY"),
        ("  Régie   de quartier « Eurêqua » ", "REGIE DE QUARTIER EUREQUA"),
        ("L'Œuvre des Pupilles", "L OEUVRE DES PUPILLES"),
        ("ASSOC 124 SERVICES", "ASSOC 124 SERVICES"),
        ("A.C.T.A. VISTA", "A C T A VISTA"),
        ("Cœur & Vêtements", "COEUR VETEMENTS"),
        ("", ""),
        ("  ", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
