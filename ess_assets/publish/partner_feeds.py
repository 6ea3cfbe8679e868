"""Return feeds: each partner's records as the hub sees them, for the partner to fix its base.

For every record of the partner: the hub's `supplier_id`, the fields the hub filled (the
partner had no value) or corrected (the hub publishes another value) and which record they
came from, and the anomalies found:
- `siret_invalide`: a SIRET was given but fails the INSEE checks;
- `siret_ferme`: the establishment is closed in SIRENE (when enrichment gives its state);
- `doublon`: several of the partner's own records are one supplier;
- `adresse_non_trouvee`: the record's commune could not be identified.
`membres_possibles` lists suppliers that partners of the same family of networks declare,
whose kind of structure is one the partner federates, but that are not in its directory:
candidates for membership, not errors. National lists and the self-referencing campaign
have no network, hence no candidates.
"""

import json
from datetime import datetime
from pathlib import Path

import polars as pl

from ess_assets.publish.files import write_public
from ess_assets.publish.findings import (
    COLUMNS,
    COMPARED,
    CONSTATS,
    ORDER,
    ROW,
    findings,
    with_hub,
)
from ess_assets.sources.registry import Source

NO_NETWORK = ("national_list", "self_referencing")
CLOSED_COLUMNS = ("etat_administratif", "etat_administratif_etablissement")
MEMBER_COLUMNS = ("supplier_id", "nom", "siret", "commune", "sources")


def closed_suppliers(suppliers: pl.DataFrame) -> set[str]:
    """Suppliers whose establishment SIRENE says closed ('F'); empty without that column."""
    present = [c for c in CLOSED_COLUMNS if c in suppliers.columns]
    if not present:
        return set()
    closed = suppliers.filter(pl.any_horizontal(pl.col(c) == "F" for c in present))
    return set(closed.get_column("supplier_id").to_list())


def candidates(source: Source, sources: dict[str, Source], records: pl.DataFrame) -> list[str]:
    """Suppliers that same-family partners declare, of a kind this partner has, not in it."""
    if source.family in NO_NETWORK:
        return []
    peers = [
        name for name, s in sources.items() if s.family == source.family and name != source.name
    ]
    own = records.filter(pl.col("source") == source.name)
    kinds = own.get_column("type_structure").drop_nulls().unique().to_list()
    elsewhere = records.filter(pl.col("source").is_in(peers))
    if kinds:
        elsewhere = elsewhere.filter(pl.col("type_structure").is_in(kinds))
    members = set(own.get_column("supplier_id").to_list())
    return sorted(set(elsewhere.get_column("supplier_id").to_list()) - members)


def feed_records(rows: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """One row per record, as the feed's JSON lists them: its ids, `publie`, and its findings
    in `champs_hub` (fields) and `anomalies`, lists of structs, empty when nothing was found."""
    is_field = pl.col(ORDER) < len(COMPARED)
    fields = pl.struct(
        "champ",
        pl.col("constat").alias("action"),
        "valeur_partenaire",
        "valeur_hub",
        pl.col("detail").alias("origine"),
    )
    problems = pl.struct(pl.col("constat").alias("type"), "detail")
    nested = found.group_by(ROW).agg(
        champs_hub=fields.filter(is_field), anomalies=problems.filter(~is_field)
    )
    joined = rows.select(ROW, "source", "source_record_id", "supplier_id", "publie").join(
        nested, on=ROW, how="left", maintain_order="left"
    )
    return joined.with_columns(
        pl.col(name).fill_null(pl.lit([], joined.schema[name]))
        for name in ("champs_hub", "anomalies")
    )


def _document(at: datetime, source: Source, items: pl.DataFrame, members: pl.DataFrame) -> str:
    # The records are serialised by polars, much faster than json.dumps on a list of dicts.
    header = {"genere_le": f"{at:%Y-%m-%dT%H:%M:%SZ}", "source": source.name, "titre": source.title}
    opening = json.dumps(header, ensure_ascii=False)[:-1]
    records = items.select("source_record_id", "supplier_id", "publie", "champs_hub", "anomalies")
    return (
        f'{opening}, "enregistrements": {records.write_json()}, '
        f'"membres_possibles": {members.write_json()}}}'
    )


def write_partner_feeds(
    folder: Path,
    sources: dict[str, Source],
    records: pl.DataFrame,
    published: pl.DataFrame,
    closed: set[str],
    at: datetime,
) -> pl.DataFrame:
    """Write folder/<source>/retour_hub.{json,csv} for every source with records; a summary."""
    rows = with_hub(records, published)
    found = findings(rows, closed)
    items = feed_records(rows, found).partition_by("source", as_dict=True)
    ids = rows.select(ROW, "source", "source_record_id", "supplier_id")
    flat = found.join(ids, on=ROW, maintain_order="left")
    flat_by_source = flat.partition_by("source", as_dict=True)
    member_rows = published.select(MEMBER_COLUMNS)
    summary = []
    for name, source in sources.items():
        if (name,) not in items:
            continue
        possible = pl.Series(candidates(source, sources, records), dtype=pl.String)
        members = member_rows.filter(pl.col("supplier_id").is_in(possible)).sort("supplier_id")
        text = _document(at, source, items[(name,)], members)
        write_public(folder / name / "retour_hub.json", text.encode("utf-8"))
        own = flat_by_source.get((name,), flat.clear())
        csv = own.select("source_record_id", "supplier_id", *COLUMNS).write_csv()
        write_public(folder / name / "retour_hub.csv", csv.encode("utf-8"))
        counts = dict(own.group_by("constat").len().iter_rows())
        found_counts = {constat: counts[constat] for constat in CONSTATS if constat in counts}
        summary.append(
            {
                "source": name,
                "records": items[(name,)].height,
                "possible_members": members.height,
                **found_counts,
            }
        )
    table = pl.DataFrame(summary).fill_null(0)
    if table.is_empty():
        return table
    # One order of columns, whichever partner has which findings.
    return table.select(
        "source", "records", "possible_members", *[c for c in CONSTATS if c in table.columns]
    )
