"""NAF rev2 activity codes in the SIRENE format: two digits, a dot, two digits, a letter."""

import re

_NAF = re.compile(r"^(\d{2})(\d{2})([A-Z])$")
_SEPARATORS = re.compile(r"[\s.\-_]+")


def clean_naf(raw: str | None) -> str | None:
    """'7820Z', '78.20Z', '78 20 z' -> '78.20Z'; anything else (NAF rev1, empty) -> None."""
    if raw is None:
        return None
    compact = _SEPARATORS.sub("", raw).upper()
    match = _NAF.match(compact)
    if match is None:
        return None
    return f"{match[1]}.{match[2]}{match[3]}"
