"""Folding of names into `nom_normalise`."""

import polars as pl
import pytest

from ess_assets.normalise.names import fold, fold_series

CASES = [
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
    ("e\u0301cole Ÿ ½", "ECOLE Y 1 2"),  # a combining accent, a compatibility character
]


@pytest.mark.parametrize(("text", "folded"), CASES)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_series_folds_as_fold_does_and_keeps_nulls():
    texts = pl.Series("nom", [text for text, _ in CASES])
    expected = [None if text is None else folded for text, folded in CASES]
    assert fold_series(texts).to_list() == expected
