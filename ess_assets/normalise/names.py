"""Display-independent folding of names: the `nom_normalise` column of the common schema.

`fold` only removes what varies between two ways of writing the same name (case, accents,
punctuation, spacing). Matching-specific work (legal forms, stop words, abbreviations) belongs
to the matching step, not here.
"""

import re
import unicodedata

import polars as pl

# Letters that Unicode decomposition does not split into a base letter and a mark.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOT_ALPHANUMERIC = re.compile(r"[^A-Z0-9]+")


def strip_accents(text: str) -> str:
    """`text` without diacritics: 'Ambérieu' -> 'Amberieu', 'Œuvre' -> 'OEuvre'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str | None) -> str:
    """Upper case, no accents, punctuation and apostrophes as spaces, single spaces, stripped.

    >>> fold("AINTERIM'AIR")
    'AINTERIM AIR'
    >>> fold("  Saint-Maurice-de-Beynost ")
    'SAINT MAURICE DE BEYNOST'

    None and empty text give "" (never None), so the column can be declared non-null.
    Characters outside the Latin script are dropped.
    """
    if not text:
        return ""
    ascii_upper = strip_accents(text).upper()
    return _NOT_ALPHANUMERIC.sub(" ", ascii_upper).strip()


def fold_series(texts: pl.Series) -> pl.Series:
    """`fold` of every text of `texts`, null staying null.

    ASCII texts, most of them, are folded by polars: without accents to strip, `fold` is upper
    case and the same substitution. The others go through `fold`, once per distinct text.
    """
    ascii_only = texts.str.len_bytes() == texts.str.len_chars()
    others = texts.filter(~ascii_only).unique().to_list()
    by_polars = texts.str.to_uppercase().str.replace_all(_NOT_ALPHANUMERIC.pattern, " ")
    by_fold = texts.replace_strict(
        {text: fold(text) for text in others}, default=None, return_dtype=pl.String
    )
    folded = pl.select(pl.when(ascii_only).then(by_polars.str.strip_chars()).otherwise(by_fold))
    return folded.to_series().alias(texts.name)
