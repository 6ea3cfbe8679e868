"""Purchase sectors: NAF rev2 activity codes to CPV divisions, through a hand-made table.

There is no official NAF-CPV correspondence; ess_assets/data/enrich/naf_cpv.csv (see the README
beside it) maps every NAF division, and some groups and classes, to the CPV divisions a buyer
would search. The most specific row wins: subclass (81.30Z), class (81.30), group (81.3), then
division (81).

Without a NAF code, a structure kind whose activity the law fixes stands for its NAF code
(KIND_NAF: temporary work and provision of staff); otherwise the divisions are an explicit
empty list, and `cpv_divisions_raison` says why (sectors()). Sectors a partner declares as
text (GESAT's `activites`...) add the divisions of ess_assets/data/enrich/secteurs_cpv.csv when
the frame has a `secteurs` list column.
"""

import re
from functools import cache
from pathlib import Path

import polars as pl

NAF_CPV_PATH = Path(__file__).resolve().parent.parent / "data" / "enrich" / "naf_cpv.csv"
SECTORS_CPV_PATH = NAF_CPV_PATH.with_name("secteurs_cpv.csv")
# Kinds whose activity is their legal definition, and the NAF code that activity has: an ETTI or
# an EATT is a temporary-work agency (78.20Z), an AI and a GEIQ place their employees with users
# (78.30Z, other provision of human resources). The other kinds (ACI, EI, EA, ESAT, SCOP...)
# say how a structure employs people, not what it sells.
KIND_NAF = {"ETTI": "78.20Z", "EATT": "78.20Z", "AI": "78.30Z", "GEIQ": "78.30Z"}
NO_NAF = "aucun code NAF connu (ni les sources ni SIRENE n'en donnent)"


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


@cache
def load_sectors_cpv(path: Path | str = SECTORS_CPV_PATH) -> dict[str, tuple[str, ...]]:
    """Sector label as partners write it (lower case) -> CPV divisions (empty when too vague)."""
    table = pl.read_csv(path, infer_schema=False)
    return {
        row["secteur"].strip().lower(): tuple(filter(None, (row["cpv_divisions"] or "").split("|")))
        for row in table.iter_rows(named=True)
    }


def declared_divisions(labels: list[str] | None) -> tuple[list[str], list[str]]:
    """(CPV divisions, labels that gave some) of sector labels a partner declared."""
    table = load_sectors_cpv()
    found = [(label, table.get(label.strip().lower(), ())) for label in labels or () if label]
    used = sorted({label for label, divisions in found if divisions})
    return sorted({d for _, divisions in found for d in divisions}), used


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


def sector_of(
    naf: str | None, kinds: list[str] | None, table: dict[str, tuple[str, ...]] | None = None
) -> tuple[list[str], str]:
    """(CPV divisions, reason) of one supplier: from its NAF code, else from a structure kind of
    KIND_NAF, else an empty list with why."""
    code = normalise_naf(naf)
    if code is not None:
        divisions = cpv_divisions(code, table)
        if divisions:
            return divisions, f"code NAF {code} (table NAF-CPV)"
        return [], f"code NAF {code} sans division CPV dans la table NAF-CPV : activité trop large"
    known = sorted({kind.upper() for kind in kinds or () if kind})
    implied = [kind for kind in known if kind in KIND_NAF]
    if implied:
        kind = implied[0]
        divisions = cpv_divisions(KIND_NAF[kind], table)
        return divisions, (
            f"{NO_NAF} ; type de structure {kind} : activité de mise à disposition de "
            f"personnel (NAF {KIND_NAF[kind]} implicite)"
        )
    if known:
        return [], f"{NO_NAF}, et le type de structure ({', '.join(known)}) ne dit pas le secteur"
    return [], f"{NO_NAF}, ni type de structure"


def sectors(
    frame: pl.DataFrame,
    naf_column: str = "naf",
    kinds_column: str = "types_structure",
    table: dict[str, tuple[str, ...]] | None = None,
) -> pl.DataFrame:
    """Add `cpv_divisions` (list, empty when nothing can honestly be said) and
    `cpv_divisions_raison` (see sector_of) from a NAF column and a list-of-kinds column."""
    table = table if table is not None else load_naf_cpv()
    nafs = frame.get_column(naf_column).to_list()
    if kinds_column in frame.columns:
        kinds = frame.get_column(kinds_column).to_list()
    else:
        kinds = [None] * frame.height
    pairs = [sector_of(naf, kind, table) for naf, kind in zip(nafs, kinds, strict=True)]
    if "secteurs" in frame.columns:
        pairs = [
            _with_declared(pair, labels)
            for pair, labels in zip(pairs, frame.get_column("secteurs").to_list(), strict=True)
        ]
    return frame.with_columns(
        pl.Series("cpv_divisions", [p[0] for p in pairs], pl.List(pl.String)),
        pl.Series("cpv_divisions_raison", [p[1] for p in pairs], pl.String),
    )


def _with_declared(pair: tuple[list[str], str], labels: list[str] | None) -> tuple[list[str], str]:
    divisions, used = declared_divisions(labels)
    if not divisions:
        return pair
    reason = f"secteurs déclarés par les partenaires ({', '.join(used)})"
    if not pair[0]:
        return divisions, f"{reason} ; {pair[1]}"
    return sorted(set(pair[0]) | set(divisions)), f"{pair[1]} ; {reason}"
