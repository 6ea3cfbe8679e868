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

from ess_assets.normalise.names import fold
from ess_assets.publish.files import write_public
from ess_assets.sources.registry import Source

COMPARED = (
    "nom",
    "enseigne",
    "siret",
    "forme_juridique",
    "type_structure",
    "naf",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "telephone",
    "email",
    "site_web",
)
NO_NETWORK = ("national_list", "self_referencing")
CLOSED_COLUMNS = ("etat_administratif", "etat_administratif_etablissement")


def closed_suppliers(suppliers: pl.DataFrame) -> set[str]:
    """Suppliers whose establishment SIRENE says closed ('F'); empty without that column."""
    present = [c for c in CLOSED_COLUMNS if c in suppliers.columns]
    if not present:
        return set()
    closed = suppliers.filter(pl.any_horizontal(pl.col(c) == "F" for c in present))
    return set(closed.get_column("supplier_id").to_list())


def _same(mine: object, hub: object) -> bool:
    if mine == hub:
        return True
    if isinstance(mine, str) and isinstance(hub, str):
        return fold(mine).lower() == fold(hub).lower()
    return False


def hub_fields(record: dict, supplier: dict, origins: dict[str, str]) -> list[dict]:
    """The fields of `supplier` the hub filled or corrected compared with `record`."""
    found = []
    for name in COMPARED:
        hub, origin = supplier.get(name), origins.get(name)
        mine = record.get(name)
        if hub is None or origin == record["record_key"] or _same(mine, hub):
            continue
        found.append(
            {
                "champ": name,
                "action": "complete" if mine is None else "corrige",
                "valeur_partenaire": mine,
                "valeur_hub": hub,
                "origine": origin,
            }
        )
    return found


def anomalies(record: dict, siblings: list[str], closed: bool) -> list[dict]:
    """What looks wrong in one record of the partner."""
    found = []
    if record["siret_source"] is not None and not record["siret_valide"]:
        found.append({"type": "siret_invalide", "detail": record["siret_source"]})
    if closed:
        found.append({"type": "siret_ferme", "detail": record["siret"]})
    if siblings:
        found.append({"type": "doublon", "detail": ", ".join(siblings)})
    if record["code_commune"] is None:
        found.append({"type": "adresse_non_trouvee", "detail": record["commune"]})
    return found


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


def partner_feed(
    source: Source,
    sources: dict[str, Source],
    records: pl.DataFrame,
    published: pl.DataFrame,
    closed: set[str],
    by_id: dict[str, dict] | None = None,
) -> tuple[dict, pl.DataFrame]:
    """The feed of `source` (JSON document) and the same as flat rows for a spreadsheet.

    `by_id` is `published` indexed by supplier_id, when the caller already built it."""
    if by_id is None:
        by_id = published_by_id(published)
    own = records.filter(pl.col("source") == source.name).sort("source_record_id")
    keys_by_supplier = own.group_by("supplier_id").agg(pl.col("source_record_id"))
    siblings = dict(keys_by_supplier.iter_rows())
    items, flat = [], []
    for record in own.iter_rows(named=True):
        supplier = by_id.get(record["supplier_id"], {})
        origins = json.loads(supplier.get("provenance") or "{}")
        others = [k for k in siblings[record["supplier_id"]] if k != record["source_record_id"]]
        item = {
            "source_record_id": record["source_record_id"],
            "supplier_id": record["supplier_id"],
            "publie": bool(supplier),
            "champs_hub": hub_fields(record, supplier, origins) if supplier else [],
            "anomalies": anomalies(record, others, record["supplier_id"] in closed),
        }
        items.append(item)
        ids = (item["source_record_id"], item["supplier_id"])
        flat += [
            (
                *ids,
                f["action"],
                f["champ"],
                _s(f["valeur_partenaire"]),
                _s(f["valeur_hub"]),
                f["origine"],
            )
            for f in item["champs_hub"]
        ]
        flat += [(*ids, a["type"], None, None, None, _s(a["detail"])) for a in item["anomalies"]]
    possible = [
        {k: by_id[s].get(k) for k in ("supplier_id", "nom", "siret", "commune", "sources")}
        for s in candidates(source, sources, records)
        if s in by_id
    ]
    feed = {
        "source": source.name,
        "titre": source.title,
        "enregistrements": items,
        "membres_possibles": possible,
    }
    columns = [
        "source_record_id",
        "supplier_id",
        "constat",
        "champ",
        "valeur_partenaire",
        "valeur_hub",
        "detail",
    ]
    return feed, pl.DataFrame(flat, schema={c: pl.String for c in columns}, orient="row")


def published_by_id(published: pl.DataFrame) -> dict[str, dict]:
    """Each published row as a dict, by supplier_id."""
    return {row["supplier_id"]: row for row in published.iter_rows(named=True)}


def _s(value: object) -> str | None:
    return None if value is None else str(value)


def write_partner_feeds(
    folder: Path,
    sources: dict[str, Source],
    records: pl.DataFrame,
    published: pl.DataFrame,
    closed: set[str],
    at: datetime,
) -> pl.DataFrame:
    """Write folder/<source>/retour_hub.{json,csv} for every source with records; a summary."""
    summary = []
    by_id = published_by_id(published)  # once, not once per partner
    present = set(records.get_column("source").unique().to_list())
    for name, source in sources.items():
        if name not in present:
            continue
        feed, flat = partner_feed(source, sources, records, published, closed, by_id)
        document = {"genere_le": f"{at:%Y-%m-%dT%H:%M:%SZ}", **feed}
        # Compact: Python's JSON encoder is four times slower when asked to indent.
        text = json.dumps(document, ensure_ascii=False, default=str)
        write_public(folder / name / "retour_hub.json", text.encode("utf-8"))
        write_public(folder / name / "retour_hub.csv", flat.write_csv().encode("utf-8"))
        found = dict(flat.group_by("constat").len().iter_rows())
        records_count, members = len(feed["enregistrements"]), len(feed["membres_possibles"])
        summary.append(
            {"source": name, "records": records_count, "possible_members": members, **found}
        )
    return pl.DataFrame(summary).fill_null(0)
