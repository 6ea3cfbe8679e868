"""Findings of the return feeds on a partner's three records, computed by hand."""

import json
from datetime import datetime

import polars as pl

from ess_assets.publish.findings import COMPARED, ROW, findings, with_hub
from ess_assets.publish.partner_feeds import write_partner_feeds
from ess_assets.sources.registry import registry


def _frame(rows: list[dict], **columns: pl.DataType) -> pl.DataFrame:
    schema = {name: pl.String for name in COMPARED} | columns
    return pl.DataFrame([{name: row.get(name) for name in schema} for row in rows], schema=schema)


RECORDS = _frame(
    [
        {
            "source_record_id": "ANTENNE",
            "record_key": "coorace:ANTENNE",
            "supplier_id": "ess-1",
            "siret_source": "123 456 789 00012",
            "siret_valide": False,
            "siret": "12345678900012",
            "commune": "ST MAURICE",
            "nom": "REGIE",
            "adresse": "2 R DE LA GARE",
            "enseigne": "Les Jardins",
        },
        {
            "source_record_id": "SIEGE",
            "record_key": "coorace:SIEGE",
            "supplier_id": "ess-1",
            "code_commune": "01376",
            "nom": "Régie de quartier",
        },
        {"source_record_id": "SEUL", "record_key": "coorace:SEUL", "supplier_id": "ess-9"},
    ],
    source=pl.String,
    source_record_id=pl.String,
    record_key=pl.String,
    supplier_id=pl.String,
    siret_source=pl.String,
    siret_valide=pl.Boolean,
).with_columns(source=pl.lit("coorace"))
ORIGINS = {
    "nom": "coorace:ANTENNE",
    "site_web": "marche_inclusion:12",
    "adresse": "asp:1",
    "enseigne": "asp:1",
}
PUBLISHED = _frame(
    [
        {
            "supplier_id": "ess-1",
            "nom": "Régie",
            "site_web": "https://regie.example",
            "adresse": "2 Rue de la Gare",
            "enseigne": "LES JARDINS !",
            "provenance": json.dumps(ORIGINS),
        }
    ],
    supplier_id=pl.String,
    provenance=pl.String,
    sources=pl.String,
)


def test_fields_filled_or_corrected_and_anomalies_of_each_record():
    found = findings(with_hub(RECORDS, PUBLISHED), closed={"ess-1"})
    assert found.drop(ROW, "_order").rows() == [
        # ANTENNE: its own name is the hub's, its trade name is only spelt otherwise
        ("corrige", "adresse", "2 R DE LA GARE", "2 Rue de la Gare", "asp:1"),
        ("complete", "site_web", None, "https://regie.example", "marche_inclusion:12"),
        ("siret_invalide", None, None, None, "123 456 789 00012"),
        ("siret_ferme", None, None, None, "12345678900012"),
        ("doublon", None, None, None, "SIEGE"),
        ("adresse_non_trouvee", None, None, None, "ST MAURICE"),
        # SEUL (sorted before SIEGE): its supplier is not published
        ("adresse_non_trouvee", None, None, None, None),
        # SIEGE: its name differs and came from ANTENNE
        ("corrige", "nom", "Régie de quartier", "Régie", "coorace:ANTENNE"),
        ("complete", "enseigne", None, "LES JARDINS !", "asp:1"),
        ("complete", "adresse", None, "2 Rue de la Gare", "asp:1"),
        ("complete", "site_web", None, "https://regie.example", "marche_inclusion:12"),
        ("siret_ferme", None, None, None, None),
        ("doublon", None, None, None, "ANTENNE"),
    ]


def test_feed_lists_each_record_with_its_fields_and_anomalies(tmp_path):
    sources = {source.name: source for source in registry()}
    at = datetime(2026, 12, 4, 6, 30)
    summary = write_partner_feeds(tmp_path, sources, RECORDS, PUBLISHED, {"ess-1"}, at)
    feed = json.loads((tmp_path / "coorace" / "retour_hub.json").read_text(encoding="utf-8"))
    assert feed["genere_le"] == "2026-12-04T06:30:00Z" and feed["source"] == "coorace"
    antenne, seul, siege = feed["enregistrements"]
    assert antenne["publie"] and antenne["champs_hub"][1] == {
        "champ": "site_web",
        "action": "complete",
        "valeur_partenaire": None,
        "valeur_hub": "https://regie.example",
        "origine": "marche_inclusion:12",
    }
    assert seul == {
        "source_record_id": "SEUL",
        "supplier_id": "ess-9",
        "publie": False,
        "champs_hub": [],
        "anomalies": [{"type": "adresse_non_trouvee", "detail": None}],
    }
    assert [a["type"] for a in siege["anomalies"]] == ["siret_ferme", "doublon"]
    csv = pl.read_csv(tmp_path / "coorace" / "retour_hub.csv")
    assert csv.height == 13 and csv.row(0)[:4] == ("ANTENNE", "ess-1", "corrige", "adresse")
    assert summary.rows(named=True) == [
        {
            "source": "coorace",
            "records": 3,
            "possible_members": 0,
            "complete": 4,
            "corrige": 2,
            "siret_invalide": 1,
            "siret_ferme": 2,
            "doublon": 2,
            "adresse_non_trouvee": 2,
        }
    ]
