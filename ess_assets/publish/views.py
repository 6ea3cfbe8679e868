"""Documented views for analysts, in the `analytics` schema, over the publication log.

The views read what was published (not the day's build), so that a query gives the figures
of the open data people downloaded. Every view, table and column carries a COMMENT ON, shown
by `SELECT * FROM duckdb_columns()` or any SQL client's catalogue browser.
"""

import duckdb
import polars as pl

from ess_assets.publish.fields import FIELDS
from ess_assets.publish.history import CHANGES, PUBLICATIONS, PUBLISHED, SOURCES
from ess_assets.sources.registry import registry
from ess_assets.warehouse import comment_columns, write_table

PARTNERS = "publish.partners"
SOURCE_COMMENTS = {
    "supplier_id": "Fournisseur publié auquel l'enregistrement est rattaché",
    "source": "Source (nom dans le registre des partenaires)",
    "source_record_id": "Identifiant de l'enregistrement chez la source",
    "record_key": "Clé source:identifiant, celle citée dans la provenance",
    "match_rule": "Règle qui a rattaché l'enregistrement à son fournisseur",
    "siret_source": "SIRET tel que la source l'a écrit",
    "siret_valide": "Vrai quand le SIRET passe les contrôles INSEE",
}
PARTNER_COMMENTS = {
    "source": "Nom de la source dans le registre",
    "titre": "Intitulé de la source",
    "famille": "Famille de réseaux (insertion, handicap, coopératives…)",
    "priorite": "Rang de confiance quand les sources divergent (le plus petit gagne)",
}
CHANGE_COMMENTS = {
    "publication_id": "Publication qui a diffusé le changement (identifiant du run Dagster)",
    "published_on": "Jour de la publication",
    "supplier_id": "Fournisseur concerné",
    "change": "added (nouveau), removed (retiré) ou changed (champ modifié)",
    "field": "Champ modifié (pour changed)",
    "old_value": "Valeur publiée auparavant, en texte",
    "new_value": "Valeur publiée désormais, en texte",
}
PUBLICATION_COMMENTS = {
    "publication_id": "Identifiant de la publication (identifiant du run Dagster)",
    "published_at": "Date et heure de la publication (UTC)",
    "published_on": "Jour de la publication",
    "suppliers": "Nombre de fournisseurs publiés",
    "added": "Fournisseurs ajoutés depuis la publication précédente",
    "removed": "Fournisseurs retirés depuis la publication précédente",
    "changed": "Fournisseurs dont au moins un champ a changé",
    "files": "Empreinte SHA-256 de chaque fichier publié (JSON)",
}
VIEWS = {
    "analytics.suppliers": (
        f"SELECT * FROM {PUBLISHED}",
        "Fournisseurs de la dernière publication open data, une ligne par fournisseur",
    ),
    "analytics.supplier_sources": (
        f"SELECT s.*, p.titre, p.famille FROM {SOURCES} s LEFT JOIN {PARTNERS} p USING (source)",
        "Enregistrements des sources derrière chaque fournisseur publié, avec la famille de "
        "réseaux de la source",
    ),
    "analytics.changes": (
        f"SELECT * FROM {CHANGES}",
        "Historique des changements publiés : ajouts, retraits, champs modifiés",
    ),
    "analytics.publications": (
        f"SELECT * FROM {PUBLICATIONS}",
        "Journal des publications open data (les publications refusées n'y figurent pas)",
    ),
}


def _partners() -> pl.DataFrame:
    return pl.DataFrame(
        [(s.name, s.title, s.family, s.priority) for s in registry()],
        schema=["source", "titre", "famille", "priorite"],
        orient="row",
    )


def refresh_views(con: duckdb.DuckDBPyConnection, published: pl.DataFrame) -> None:
    """(Re)create the analyst views and document every table and view behind them."""
    write_table(con, PARTNERS, _partners())
    con.execute("CREATE SCHEMA IF NOT EXISTS analytics")
    supplier_comments = {f.name: f.description for f in FIELDS if f.name in published.columns}
    columns = {
        "analytics.suppliers": supplier_comments,
        "analytics.supplier_sources": {**SOURCE_COMMENTS, **PARTNER_COMMENTS},
        "analytics.changes": CHANGE_COMMENTS,
        "analytics.publications": PUBLICATION_COMMENTS,
    }
    for view, (sql, comment) in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {view} AS {sql}")
        wanted = {c: columns[view][c] for c in _columns(con, view) if c in columns[view]}
        comment_columns(con, view, comment, wanted)
    tables = {
        PUBLISHED: (
            "Lignes de la dernière publication, telles que dans les fichiers",
            supplier_comments,
        ),
        SOURCES: ("Enregistrements sources des fournisseurs publiés", SOURCE_COMMENTS),
        PARTNERS: ("Registre des sources, tel qu'à la dernière publication", PARTNER_COMMENTS),
        CHANGES: ("Changements de chaque publication, un par ligne", CHANGE_COMMENTS),
        PUBLICATIONS: ("Une ligne par publication open data réussie", PUBLICATION_COMMENTS),
    }
    for table, (comment, described) in tables.items():
        comment_columns(con, table, comment, described)


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    schema, name = view.split(".")
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()
    return [row[0] for row in rows]


EXAMPLE_QUERIES = {
    "Fournisseurs publiés par département et type de structure": """
SELECT departement, type_structure, count(*) AS fournisseurs
FROM analytics.suppliers
GROUP BY ALL ORDER BY departement, fournisseurs DESC""",
    "Fournisseurs présents dans plusieurs réseaux partenaires": """
SELECT supplier_id, any_value(nom) AS nom, count(DISTINCT source) AS sources,
       string_agg(DISTINCT famille, ', ') AS familles
FROM analytics.supplier_sources JOIN analytics.suppliers USING (supplier_id)
WHERE famille NOT IN ('national_list', 'self_referencing')
GROUP BY supplier_id HAVING count(DISTINCT source) > 1 ORDER BY sources DESC""",
    "Part des fournisseurs joignables et localisés, par source": """
SELECT ss.source, count(DISTINCT s.supplier_id) AS fournisseurs,
       round(avg((s.email IS NOT NULL OR s.telephone IS NOT NULL)::INT), 2) AS joignables,
       round(avg((s.latitude IS NOT NULL)::INT), 2) AS localises
FROM analytics.supplier_sources ss JOIN analytics.suppliers s USING (supplier_id)
GROUP BY ss.source ORDER BY fournisseurs DESC""",
    "Champs les plus souvent modifiés depuis trente jours": """
SELECT field, count(*) AS changements, count(DISTINCT supplier_id) AS fournisseurs
FROM analytics.changes
WHERE change = 'changed' AND published_on >= current_date - INTERVAL 30 DAY
GROUP BY field ORDER BY changements DESC""",
    "Évolution du nombre de fournisseurs publiés": """
SELECT published_on, max(suppliers) AS fournisseurs, sum(added) AS ajoutes,
       sum(removed) AS retires, sum(changed) AS modifies
FROM analytics.publications GROUP BY published_on ORDER BY published_on""",
}
