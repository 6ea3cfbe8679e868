"""Purchase sectors: NAF rev2 activity codes to CPV divisions, through a hand-made table.

There is no official NAF-CPV correspondence; ess_assets/data/enrich/naf_cpv.csv (see the README
beside it) maps every NAF division, and some groups and classes, to the CPV divisions a buyer
would search. The most specific row wins: subclass (81.30Z), class (81.30), group (81.3), then
division (81).
"""

import re
from functools import cache
from pathlib import Path

import polars as pl

NAF_CPV_PATH = Path(__file__).resolve().parent.parent / "data" / "enrich" / "naf_cpv.csv"


def normalise_naf(code: str | None) -> str | None:
    """A NAF rev2 code with its dot ("8130Z" -> "81.30Z"); None when not one."""
    if code is None:
        return None
    compact = re.sub(r"[\s.]", "", code).upper()
    if not re.fullmatch(r"\d{4}[A-Z]", compact):
        return None
    return f"{compact[:2]}.{compact[2:]}"


@cache
def load_naf_cpv(path: Path | str = NAF_CPV_PATH) -> dict[str, tuple[str, ...]]:
    """NAF key (division, group, class or subclass) -> CPV divisions (empty when undecidable)."""
    table = pl.read_csv(path, infer_schema=False)
    return {
        row["naf"]: tuple(d for d in (row["cpv_divisions"] or "").split("|") if d)
        for row in table.iter_rows(named=True)
    }


def cpv_divisions(naf: str | None, table: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The CPV divisions of a NAF code, by its most specific row in the table; [] if none."""
    code = normalise_naf(naf)
    if code is None:
        return []
    table = table if table is not None else load_naf_cpv()
    for key in (code, code[:5], code[:4], code[:2]):
        if key in table:
            return list(table[key])
    return []


def with_cpv(
    frame: pl.DataFrame,
    naf_column: str = "naf",
    declared_column: str | None = None,
    table: dict[str, tuple[str, ...]] | None = None,
) -> pl.DataFrame:
    """Add `cpv_divisions` (sorted, distinct): those of the NAF code, plus the divisions a
    partner declared in `declared_column` (a list of CPV codes or divisions), when given."""
    table = table if table is not None else load_naf_cpv()
    from_naf = pl.col(naf_column).map_elements(
        lambda naf: cpv_divisions(naf, table), return_dtype=pl.List(pl.String)
    )
    divisions = from_naf.fill_null([])
    if declared_column is not None:
        declared = pl.col(declared_column).list.eval(pl.element().str.slice(0, 2))
        divisions = pl.concat_list(divisions, declared.fill_null([]))
    return frame.with_columns(divisions.list.unique().list.sort().alias("cpv_divisions"))
