"""Resolve a (postcode, commune name, department) triple written by a source to an INSEE commune.

The reference is the bundled `data/reference/communes.csv`. Lyon, Marseille and Paris resolve to
their arrondissements (69381-69389...) when the postcode or the name says which one, as SIRENE and
the geocoder do; former (associated or delegated) communes resolve to the commune they joined.
An unresolvable triple gives None: the record is kept with a null INSEE code.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from ess_assets.normalise.names import fold

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "reference" / "communes.csv"

_ARTICLE_IN_BRACKETS = re.compile(r"\s*\(\s*(?:LE|LA|LES|L')\s*\)\s*$", re.IGNORECASE)
_CEDEX = re.compile(r"\bCEDEX\b.*$")
_ARRONDISSEMENT = re.compile(
    r"^(LYON|MARSEILLE|PARIS) 0*(\d{1,2}) ?(?:ER|ERE|E|EME|IEME)?(?: ARRONDISSEMENT| ARRT?)?$"
)
_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE"}
_LEADING_ARTICLES = {"LE", "LA", "LES", "L"}
_FUZZY_CUTOFF = 90


def commune_key(name: str | None) -> str:
    """Comparison key of a commune name: 'PUY EN VELAY (LE)', 'Le Puy-en-Velay' -> 'PUY EN VELAY'.

    Folds case, accents and punctuation, expands ST/STE, drops a leading article and any CEDEX
    suffix, and writes arrondissements as 'LYON 3' ('LYON 03', 'Lyon 3e Arrondissement').
    """
    folded = _CEDEX.sub("", fold(_ARTICLE_IN_BRACKETS.sub("", name or ""))).strip()
    tokens = [_ABBREVIATIONS.get(token, token) for token in folded.split()]
    if len(tokens) > 1 and tokens[0] in _LEADING_ARTICLES:
        tokens = tokens[1:]
    key = " ".join(tokens)
    arrondissement = _ARRONDISSEMENT.match(key)
    return f"{arrondissement[1]} {int(arrondissement[2])}" if arrondissement else key


def clean_postcode(raw: str | int | None) -> str | None:
    """Five digits ('1500' from a spreadsheet -> '01500'), else None."""
    digits = re.sub(r"\s+", "", str(raw)) if raw is not None else ""
    if not digits.isdigit() or len(digits) not in (4, 5):
        return None
    return digits.zfill(5)


def clean_departement(raw: str | int | None) -> str | None:
    """Department code as INSEE writes it: '069' -> '69', '1' -> '01', '2a' -> '2A', '974'."""
    code = str(raw).strip().upper() if raw is not None else ""
    if len(code) == 3 and code.startswith("0"):
        code = code[1:]
    if code.isdigit() and len(code) == 1:
        code = code.zfill(2)
    return code if re.fullmatch(r"\d{2,3}|2[AB]", code) else None


def departements_of_postcode(postcode: str | None) -> list[str]:
    """Departments a postcode usually belongs to (Corsica's 20xxx is either 2A or 2B)."""
    if postcode is None:
        return []
    if postcode.startswith("20"):
        return ["2A", "2B"]
    return [postcode[:3]] if postcode.startswith("97") else [postcode[:2]]


@dataclass(frozen=True)
class CommuneMatch:
    """The commune a triple resolved to, and the rule that resolved it."""

    code_commune: str
    commune: str
    departement: str
    region: str
    latitude_mairie: float | None
    longitude_mairie: float | None
    method: str


@dataclass(frozen=True)
class _Commune:
    code: str
    nom: str
    kind: str
    parent: str | None
    departement: str
    region: str
    latitude: float | None
    longitude: float | None
    key: str

    def match(self, method: str) -> CommuneMatch:
        place = (self.code, self.nom, self.departement, self.region, self.latitude, self.longitude)
        return CommuneMatch(*place, method=method)


class CommuneIndex:
    """Lookup tables over the communes reference, built once; `resolve` is pure dictionary work."""

    def __init__(self, communes: pl.DataFrame) -> None:
        self._by_postcode: dict[str, list[_Commune]] = defaultdict(list)
        self._by_name: dict[tuple[str, str], list[_Commune]] = defaultdict(list)
        self._former: dict[str, list[tuple[str, _Commune]]] = defaultdict(list)
        self._arrondissements: dict[str, _Commune] = {}
        current: dict[str, _Commune] = {}
        former_rows = []
        for row in communes.iter_rows(named=True):
            commune = _Commune(
                row["code_insee"], row["nom"], row["type"], row["code_insee_parent"],
                row["code_departement"], row["code_region"], row["latitude_mairie"],
                row["longitude_mairie"], commune_key(row["nom"]),
            )  # fmt: skip
            if commune.kind in ("COMA", "COMD"):
                former_rows.append(commune)
            elif commune.kind in ("COM", "ARM"):
                current[commune.code] = commune
                self._by_name[commune.key, commune.departement].append(commune)
                for postcode in (row["codes_postaux"] or "").split("|"):
                    if postcode:
                        self._by_postcode[postcode].append(commune)
                if commune.kind == "ARM":
                    self._arrondissements[commune.key] = commune
        for former in former_rows:
            parent = current.get(former.parent or "")
            if parent is not None and parent.key != former.key:
                self._former[former.key].append((former.departement, parent))
        self._city_of_arrondissement = {
            code: current[code].key for code in {a.parent for a in self._arrondissements.values()}
        }

    @classmethod
    def load(cls, path: Path | str | None = None) -> "CommuneIndex":
        """Read the communes reference (default: the bundled file) and index it."""
        communes = pl.read_csv(
            path or DEFAULT_PATH,
            schema_overrides={"latitude_mairie": pl.Float64, "longitude_mairie": pl.Float64},
            infer_schema=False,
        )
        return cls(communes)

    def resolve(
        self, code_postal: str | None, nom: str | None, departement: str | None = None
    ) -> CommuneMatch | None:
        """The commune meant by a source's postcode, commune name and department, or None.

        Rules, in order (the `method` of the answer):
        1. "arrondissement": the name names one ('LYON 03', 'MARSEILLE 7EME'), or it is the city
           ('LYON') and the postcode belongs to one arrondissement (69003);
        2. "postcode+name": one commune of the postcode has this name, even in another
           department than the one stated (RIOM 63200 declared in the Allier);
        3. "former-commune": the name is an associated or delegated commune whose current
           commune has this postcode, or lies in the department;
        4. "name+department": the name is unique in the stated department, or in the postcode's
           (CEDEX postcodes are not in the reference: 'LYON CEDEX 07' resolves to Lyon);
        5. "postcode+fuzzy-name": the postcode has one commune whose name is nearly this one;
        6. "postcode-only": the name is unknown there and the postcode has a single commune.
        """
        postcode = clean_postcode(code_postal)
        key = commune_key(nom)
        in_postcode = self._by_postcode.get(postcode or "", [])
        if key:
            found = self._resolve_name(key, postcode, in_postcode, departement)
            if found is not None:
                return found
        if len(in_postcode) == 1:
            return in_postcode[0].match("postcode-only")
        return None

    def _resolve_name(
        self, key: str, postcode: str | None, in_postcode: list[_Commune], departement: str | None
    ) -> CommuneMatch | None:
        if key in self._arrondissements:
            return self._arrondissements[key].match("arrondissement")
        arrondissements = [
            c for c in in_postcode if self._city_of_arrondissement.get(c.parent) == key
        ]
        same_name = [c for c in in_postcode if c.key == key]
        for candidates, method in (
            (arrondissements, "arrondissement"),
            (same_name, "postcode+name"),
        ):
            if len(candidates) == 1:
                return candidates[0].match(method)

        departements = [clean_departement(departement), *departements_of_postcode(postcode)]
        departements = [dept for dept in dict.fromkeys(departements) if dept]
        former = self._former.get(key, [])
        former_here = [parent for _, parent in former if parent in in_postcode]
        if len({parent.code for parent in former_here}) == 1:
            return former_here[0].match("former-commune")
        for dept in departements:
            if len(named := self._by_name.get((key, dept), [])) == 1:
                return named[0].match("name+department")
        former_near = [parent for dept, parent in former if dept in departements]
        if len({parent.code for parent in former_near}) == 1:
            return former_near[0].match("former-commune")

        best = process.extractOne(
            key, [c.key for c in in_postcode], scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
        )
        return in_postcode[best[2]].match("postcode+fuzzy-name") if best else None

    def resolve_frame(
        self, df: pl.DataFrame, postcode_col: str, name_col: str, dept_col: str | None = None
    ) -> pl.DataFrame:
        """`df` with code_commune, commune, departement, region and commune_method set.

        Each distinct triple is resolved once, then joined back. Existing columns of these names
        are replaced in place (so `name_col` may be 'commune'); rows that do not resolve get
        nulls.
        """
        keys = {
            "_cp": pl.col(postcode_col).cast(pl.String),
            "_nom": pl.col(name_col).cast(pl.String),
        }
        keys["_dept"] = pl.col(dept_col).cast(pl.String) if dept_col else pl.lit(None, pl.String)
        keyed = df.with_columns(**keys)
        outputs = ["code_commune", "commune", "departement", "region", "commune_method"]
        resolved = []
        for cp, nom, dept in keyed.select(list(keys)).unique().iter_rows():
            found = self.resolve(cp, nom, dept)
            values = (
                (found.code_commune, found.commune, found.departement, found.region, found.method)
                if found
                else (None,) * len(outputs)
            )
            resolved.append((cp, nom, dept, *values))
        schema = {name: pl.String for name in [*keys, *outputs]}
        table = pl.DataFrame(resolved, schema=schema, orient="row")
        columns = [*df.columns, *(column for column in outputs if column not in df.columns)]
        return (
            keyed.drop([column for column in outputs if column in df.columns])
            .join(table, on=list(keys), how="left", nulls_equal=True, maintain_order="left")
            .select(columns)
        )


@cache
def default_index() -> CommuneIndex:
    """The index of the bundled reference, built once per process."""
    return CommuneIndex.load()
