"""SIRET cleaning and validation (DOMAIN.md §2).

A SIRET is 14 digits: the SIREN (9 digits, the legal unit) and the NIC (5 digits, the
establishment). Validity is the INSEE check implemented by python-stdnum (Luhn, with the La Poste
exception), minus the values sources use as placeholders.
"""

import itertools
import re
from functools import lru_cache

import polars as pl
from stdnum.fr import siret as stdnum_siret

# Spaces of any kind (tab, non-breaking, narrow non-breaking) and dots, as typed in sources.
_SEPARATORS = re.compile(r"[\s.]+")
_SEPARATORS_POLARS = r"[\s.]+"
_FOURTEEN_DIGITS = re.compile(r"^\d{14}$")

# Placeholders seen in directories, rejected even when they pass (or would pass) Luhn.
KNOWN_FAKE_SIRETS = frozenset({"11122233344455", "12345678901234", "98765432109876"})


def clean_siret(raw: str | None) -> str | None:
    """`raw` without spaces, tabs and dots; None when nothing is left.

    '\\t84302481100013' -> '84302481100013', '343 560 405 00023' -> '34356040500023'.
    Text that is not 14 digits after cleaning is returned cleaned, not None, so that the caller
    can still show what the source wrote; `is_valid_siret` rejects it.
    """
    if raw is None:
        return None
    cleaned = _SEPARATORS.sub("", raw)
    return cleaned or None


def _is_sequence(digits: str) -> bool:
    """True for runs where every digit is the previous one plus (or minus) one, modulo 10."""
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {9})


def _is_placeholder(digits: str) -> bool:
    """Same-digit runs, counting sequences, known fakes, and pseudo-SIRETs with a NIC 999xx."""
    return (
        len(set(digits)) == 1
        or _is_sequence(digits)
        or digits in KNOWN_FAKE_SIRETS
        or digits[9:12] == "999"
    )


# python-stdnum takes about 13 µs a SIRET, and one establishment is listed by several sources:
# each distinct SIRET is checked once in a process (about 130 000 at 300 000 records, 20 MB).
@lru_cache(maxsize=1_000_000)
def is_valid_siret(siret: str | None) -> bool:
    """True when `siret` (cleaned first) is 14 digits, passes the INSEE check and is no placeholder.

    La Poste SIRETs (SIREN 356000000) follow their own rule, handled by python-stdnum.
    Pseudo-SIRETs whose NIC starts with 999 (antennas without a number of their own) are invalid.
    """
    digits = clean_siret(siret)
    if digits is None or not _FOURTEEN_DIGITS.match(digits):
        return False
    return stdnum_siret.is_valid(digits) and not _is_placeholder(digits)


def siren_of(siret: str | None) -> str | None:
    """The SIREN (first 9 digits) of a valid SIRET, else None."""
    return clean_siret(siret)[:9] if is_valid_siret(siret) else None


def siret_columns(df: pl.DataFrame, column: str) -> pl.DataFrame:
    """`df` with the schema columns `siret`, `siret_valide` and `siren` computed from `column`.

    `siret` holds the cleaned value only when it is 14 digits (null otherwise), `siret_valide` is
    never null, `siren` is set only for valid SIRETs. The check runs once per distinct value.
    """
    cleaned = (
        pl.col(column).cast(pl.String).str.replace_all(_SEPARATORS_POLARS, "").replace("", None)
    )
    with_siret = df.with_columns(
        siret=pl.when(cleaned.str.contains(r"^\d{14}$")).then(cleaned).otherwise(None)
    )
    distinct = with_siret.get_column("siret").drop_nulls().unique().to_list()
    validity = {value: is_valid_siret(value) for value in distinct}
    with_validity = with_siret.with_columns(
        siret_valide=pl.col("siret").replace_strict(
            validity, default=False, return_dtype=pl.Boolean
        )
    )
    return with_validity.with_columns(
        siren=pl.when(pl.col("siret_valide")).then(pl.col("siret").str.slice(0, 9)).otherwise(None)
    )
