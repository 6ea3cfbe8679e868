"""A generated workload: N records across every registry source, with the truth beside them.

Establishments are seeded from the bundled real records (ASP list, Marché de l'inclusion, and
their nord-est counterparts in benchmarks/data); beyond the seeds, copies get a distinct name
suffix, another street number and a new valid SIRET, and one in ten is a sibling establishment
(same SIREN, new NIC, another address). Each source then lists a random sample of them, each
record written with variation: upper case, accents dropped, abbreviations, the address
reformatted, the SIRET missing, mistyped or spaced, and a few duplicates inside the source.

What stays realistic on purpose:
- a source that declares structure kinds (a constant, or a table of its own codes) lists only
  establishments of those kinds: the GEIQ list holds GEIQs, the SCOP federation SCOPs. Copies
  beyond the seeds draw their kind among every kind the registry knows, so those lists fill;
- a mistyped SIRET fails the INSEE (Luhn) check, as a typo nearly always does: one digit
  is replaced by another (a single changed digit always breaks Luhn);
- a duplicate inside a source is the same row written twice by that source's export (same
  spelling), not a second entry typed differently;
- the reference and enrichment files (communes, SIRENE stock, NAF-CPV) are the bundled ones.

Spreadsheet sources (xlsx) are capped at XLSX_CAP rows each: openpyxl writes about 10 000 rows
a second, so they hold a smaller share of large workloads.

`truth.csv` beside the data: source, source_line (the line `ess_assets.sources.read` gives the
record) and establishment_id (the true establishment).
"""

import io
import json
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl

from ess_assets.match.vocabulary import KIND_TOKENS
from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets.sources.registry import Source, registry

BENCH_DATA = Path(__file__).resolve().parent / "data"
XLSX_CAP = 2000
SIBLING_SHARE = 0.10
KEEP_SEED_KIND = 0.5  # share of copies keeping their seed's structure kind
REFERENCE_FOLDERS = ("reference", "enrich")
SUFFIXES = [
    "NORD",
    "SUD",
    "EST",
    "OUEST",
    "CENTRE",
    "VALLEE",
    "PLAINE",
    "MONTS",
    "RIVES",
    "COTEAUX",
    "BOCAGE",
    "PLATEAU",
    "LACS",
    "FORETS",
    "VIGNES",
    "PORTES",
    "SOURCES",
    "HALLES",
    "QUAIS",
    "JARDINS",
    "ATELIERS",
    "PRES",
    "VERGERS",
    "COLLINES",
    "ETANGS",
]
ACCENTS = {
    "é": "e",
    "è": "e",
    "ê": "e",
    "ë": "e",
    "à": "a",
    "â": "a",
    "î": "i",
    "ï": "i",
    "ô": "o",
    "ù": "u",
    "û": "u",
    "ç": "c",
    "É": "E",
    "È": "E",
    "À": "A",
    "Ç": "C",
}
ABBREV = {
    "AVENUE": "AV",
    "BOULEVARD": "BD",
    "ROUTE": "RTE",
    "CHEMIN": "CHE",
    "PLACE": "PL",
    "SAINT": "ST",
    "ASSOCIATION": "ASSO",
    "ENTREPRISE": "ENT",
}


def seeds() -> pl.DataFrame:
    """One row per real establishment (distinct SIRET) of the bundled lists."""
    asp_files = [BUNDLED_DATA_DIR / "iae/liste_siae_asp_2019-07.csv"]
    asp_files += sorted(BENCH_DATA.glob("liste_siae_asp_*.csv"))
    asp = pl.concat(
        pl.read_csv(f, separator=";", infer_schema=False).select(
            nom=pl.col("DENOMINATION_SOCIALE"),
            siret=pl.col("SIRET"),
            num=pl.col("NUM_RUE"),
            voie=pl.col("NOM_RUE"),
            code_postal=pl.col("CODE_POSTAL"),
            commune=pl.col("COMMUNE"),
            naf=pl.col("CODE_NAF2"),
            type_structure=pl.col("MESURE"),
        )
        for f in asp_files
    )
    marche_files = [BUNDLED_DATA_DIR / "marche_inclusion/structures_2021.json"]
    marche_files += sorted(BENCH_DATA.glob("marche_inclusion_*.json"))
    marche = pl.concat(
        pl.DataFrame(json.loads(f.read_text()), infer_schema_length=None).select(
            nom=pl.col("name"),
            siret=pl.col("siret"),
            num=pl.lit(None, pl.String),
            voie=pl.col("address"),
            code_postal=pl.col("post_code"),
            commune=pl.col("city"),
            naf=pl.col("naf"),
            type_structure=pl.col("kind"),
        )
        for f in marche_files
    )
    both = pl.concat([asp, marche]).filter(pl.col("siret").str.contains(r"^\d{14}$"))
    return both.unique("siret", keep="first", maintain_order=True).with_columns(
        num=pl.col("num").fill_null(""), voie=pl.col("voie").fill_null("")
    )


def _luhn_digit(payload: np.ndarray) -> np.ndarray:
    """The check digit that makes each row of `payload` (digits) Luhn-valid once appended."""
    doubled = payload[:, ::-1].copy()
    doubled[:, 0::2] *= 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    return (10 - doubled.sum(axis=1) % 10) % 10


def _sirets(sirens: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Valid SIRETs (as digit arrays) for the given SIREN digit arrays, with random NICs."""
    nic = rng.integers(0, 10, (len(sirens), 4))
    payload = np.hstack([sirens, nic])
    return np.hstack([payload, _luhn_digit(payload)[:, None]])


def _join_digits(digits: np.ndarray) -> list[str]:
    return ["".join(map(str, row)) for row in digits.tolist()]


def declared_kinds(source: Source) -> set[str] | None:
    """The structure kinds a source can list (its constant or its code table), None if any."""
    if "type_structure" in source.mapping.constants:
        return {source.mapping.constants["type_structure"]}
    if "type_structure" in source.mapping.values:
        return set(source.mapping.values["type_structure"].values())
    return None


def every_kind() -> list[str]:
    """Every structure kind the seeds or a source's declaration name, sorted."""
    kinds = set(seeds().get_column("type_structure").drop_nulls().unique().to_list())
    for source in registry():
        kinds |= declared_kinds(source) or set()
    return sorted(kinds)


def establishments(count: int, rng: np.random.Generator) -> pl.DataFrame:
    """`count` true establishments: the seeds, then distinct copies and siblings."""
    base = seeds()
    index = np.arange(count)
    frame = base[index % len(base)].with_columns(
        establishment_id=pl.Series(index), copy=pl.Series(index // len(base))
    )
    body = rng.integers(0, 10, (count, 8))
    sirens = np.hstack([body, _luhn_digit(body)[:, None]])
    sibling = (rng.random(count) < SIBLING_SHARE) & (index >= len(base))
    parents = np.where(sibling, rng.integers(0, np.maximum(index, 1)), index)
    sirens = sirens[parents]  # a sibling shares its parent's SIREN
    new_sirets = pl.Series(_join_digits(_sirets(sirens, rng)))
    copies = index // len(base)
    suffix = pl.Series(np.array(SUFFIXES)[copies % len(SUFFIXES)])
    kinds = np.array(every_kind())
    other_kind = pl.Series(kinds[rng.integers(0, len(kinds), count)])
    keep_kind = pl.Series(rng.random(count) < KEEP_SEED_KIND)
    # a kind written in the name ("GERMA ETTI") stays the establishment's kind
    kind_in_name = (
        pl.col("nom")
        .str.to_uppercase()
        .str.contains(r"\b(" + "|".join(sorted(KIND_TOKENS)) + r")\b")
    )
    copy = pl.col("copy")
    frame = frame.with_columns(
        type_structure=pl.when((copy == 0) | keep_kind | kind_in_name)
        .then(pl.col("type_structure"))
        .otherwise(other_kind),
        siret=pl.when(copy == 0).then(pl.col("siret")).otherwise(new_sirets),
        nom=pl.when(copy == 0)
        .then(pl.col("nom"))
        .otherwise(
            pl.format(
                "{} {} {}",
                pl.col("nom"),
                suffix,
                (copy // len(SUFFIXES) + 1).cast(pl.String),
            )
        ),
        num=pl.when(copy == 0)
        .then(pl.col("num"))
        .otherwise(((copy * 7 + pl.col("establishment_id")) % 250 + 1).cast(pl.String)),
    )
    # a sibling: its parent's name, its own SIRET and address
    parent_names = frame.get_column("nom").gather(parents)
    return frame.with_columns(
        nom=pl.when(pl.Series(sibling)).then(parent_names).otherwise(pl.col("nom"))
    ).drop("copy")


def _abbreviate(text: pl.Expr) -> pl.Expr:
    """Whole words abbreviated ("CHEMIN" -> "CHE", but "CHEMINS" kept)."""
    for word, short in ABBREV.items():
        text = text.str.replace_all(rf"\b{word}\b", short)
    return text


def _vary(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Each record as one source might write it."""
    n = len(frame)
    draw = pl.Series(rng.random(n))
    draw2 = pl.Series(rng.random(n))
    plain = pl.col("nom").str.replace_many(ACCENTS)
    upper = plain.str.to_uppercase()
    name = (
        pl.when(draw < 0.3)
        .then(pl.col("nom"))
        .when(draw < 0.6)
        .then(pl.col("nom").str.to_uppercase())
        .when(draw < 0.85)
        .then(upper)
        .otherwise(_abbreviate(upper))
    )
    voie = pl.col("voie").str.replace_many(ACCENTS)
    address = (
        pl.when(draw2 < 0.4)
        .then(pl.format("{} {}", "num", "voie"))
        .when(draw2 < 0.7)
        .then(pl.format("{}, {}", "num", voie.str.to_lowercase()))
        .otherwise(pl.format("{} {}", "num", _abbreviate(voie.str.to_uppercase())))
        .str.strip_chars(" ,")
    )
    siret = pl.col("siret")
    # one digit replaced by another: the Luhn check always catches it
    position = pl.Series(rng.integers(0, 14, n))
    shift = pl.Series(rng.integers(1, 10, n))
    digit = siret.str.slice(position, 1).cast(pl.Int32, strict=False)
    mistyped = pl.concat_str(
        siret.str.slice(0, position),
        ((digit + shift) % 10).cast(pl.String),
        siret.str.slice(position + 1),
    )
    spaced = pl.concat_str(
        siret.str.slice(0, 3),
        siret.str.slice(3, 3),
        siret.str.slice(6, 3),
        siret.str.slice(9),
        separator=" ",
    )
    siret_draw = pl.Series(rng.random(n))
    return frame.with_columns(
        nom=name,
        adresse=address,
        commune=pl.when(draw2 < 0.5)
        .then(pl.col("commune").str.to_uppercase())
        .otherwise("commune"),
        siret=pl.when(siret_draw < 0.12)
        .then(None)
        .when(siret_draw < 0.15)
        .then(mistyped)
        .when(siret_draw < 0.22)
        .then(spaced)
        .otherwise(siret),
    )


def _source_frame(source: Source, records: pl.DataFrame) -> pl.DataFrame:
    """The records under the source's own column names and values."""
    columns: dict[str, pl.Expr] = {}
    for target, origin in source.mapping.columns.items():
        if isinstance(origin, list):
            columns[origin[0]] = pl.col("num") if target == "adresse" else pl.col(target)
            rest = pl.col("voie") if target == "adresse" else pl.lit(None, pl.String)
            columns[origin[-1]] = rest
            for middle in origin[1:-1]:
                columns[middle] = pl.lit("")
        elif target in ("latitude", "longitude", "telephone", "email", "site_web"):
            columns[origin] = pl.lit(None, pl.String)
        elif target == "departement":
            columns[origin] = pl.col("code_postal").str.slice(0, 2)
        elif target == "type_structure" and target in source.mapping.values:
            back = {common: raw for raw, common in source.mapping.values[target].items()}
            first = next(iter(source.mapping.values[target]))
            columns[origin] = pl.col(target).replace_strict(back, default=first)
        elif target == "siret_source":  # the SIRET as the source wrote it
            columns[origin] = pl.col("siret")
        elif target in records.columns:
            columns.setdefault(origin, pl.col(target))
        else:
            columns[origin] = pl.lit(None, pl.String)
    if source.mapping.point:
        columns[source.mapping.point] = pl.lit(None, pl.String)
    for name in source.record_id:
        columns.setdefault(name, pl.format("{}-{}", pl.lit(source.name), pl.int_range(pl.len())))
    return records.select(**{name: expr.cast(pl.String) for name, expr in columns.items()})


def _write(source: Source, frame: pl.DataFrame, path: Path) -> int:
    """Write `frame` in the source's format; return the line of its first record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = source.format
    if fmt.kind == "csv":
        text = frame.write_csv(separator=fmt.delimiter)
        path.write_bytes(text.encode(fmt.encoding, errors="replace"))
        return 2
    if fmt.kind == "json":
        records = frame.to_dicts()
        document: object = records
        for key in reversed((fmt.record_path or "").split(".")):
            document = {key: document} if key else document
        path.write_text(json.dumps(document, ensure_ascii=False))
        return 1
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(fmt.sheet or "Sheet1")
    for _ in range(fmt.header_row - 1):
        sheet.append([f"Export {source.title}"])
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return fmt.header_row + 1


def _pools(sources: list[Source], people: pl.DataFrame) -> dict[str, np.ndarray]:
    """The establishments each source may list: those of its declared kinds, else all."""
    kinds = people.get_column("type_structure")
    pools = {}
    for source in sources:
        declared = declared_kinds(source)
        mask = kinds.is_in(sorted(declared)).to_numpy() if declared else np.ones(len(people), bool)
        pools[source.name] = np.flatnonzero(mask)
    return pools


def _sizes(sources: list[Source], pools: dict[str, np.ndarray], total: int) -> dict[str, int]:
    """Records per source: an even share, spreadsheets capped, a source listing each of its
    establishments at most once; what a source cannot hold goes to the uncapped ones."""
    sizes = {s.name: total // len(sources) for s in sources}
    for source in sources:
        cap = XLSX_CAP if source.format.kind == "xlsx" else len(pools[source.name])
        sizes[source.name] = min(sizes[source.name], cap, len(pools[source.name]))
    open_ = [s.name for s in sources if s.format.kind != "xlsx" and declared_kinds(s) is None]
    spare = (total - sum(sizes.values())) // max(len(open_), 1)
    for name in open_:
        sizes[name] = min(sizes[name] + spare, len(pools[name]))
    return sizes


def generate(data_dir: Path, total: int, seed: int = 7) -> pl.DataFrame:
    """Write about `total` records across every source into `data_dir`; return the truth."""
    rng = np.random.default_rng(seed)
    sources = registry()
    people = establishments(max(total // 2, 1), rng)
    pools = _pools(sources, people)
    sizes = _sizes(sources, pools, total)
    truths = []
    for source in sources:
        size = sizes[source.name]
        picked = rng.choice(pools[source.name], size, replace=False)  # each listed once...
        listed = _vary(people[picked], rng)
        duplicates = np.flatnonzero(rng.random(size) < 0.03)  # ...a few rows exported twice
        order = np.concatenate([np.arange(size), duplicates])
        rng.shuffle(order)
        records = listed[order]
        first_line = _write(source, _source_frame(source, records), data_dir / source.fetch.path)
        truths.append(
            pl.DataFrame(
                {
                    "source": source.name,
                    "source_line": np.arange(first_line, first_line + len(records)),
                    "establishment_id": records.get_column("establishment_id"),
                }
            )
        )
    for folder in REFERENCE_FOLDERS:
        shutil.copytree(BUNDLED_DATA_DIR / folder, data_dir / folder, dirs_exist_ok=True)
    truth = pl.concat(truths)
    truth.write_csv(data_dir / "truth.csv")
    return truth
