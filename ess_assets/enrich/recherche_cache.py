"""The persistent cache of Recherche d'entreprises lookups: one row per SIRET asked, in DuckDB.

A SIRET is asked once: found or not, its answer is stored (`trouve` False for an unknown one),
so a daily run only asks for SIRETs it has never seen. A failed call (network, 5xx after the
retries) is not stored, to be tried again on the next run. The stored fields are those of
the SIRENE reference (see reference.py), masked values already null.
"""

from dataclasses import dataclass, field

import duckdb
import polars as pl

from ess_assets.enrich.recherche import RechercheEntreprises, RechercheEntreprisesError

CACHE_TABLE = "enrich.recherche_cache"
CACHED_COLUMNS = {
    "siret": pl.String,
    "trouve": pl.Boolean,
    "denomination": pl.String,
    "categorie_juridique": pl.String,
    "naf": pl.String,
    "tranche_effectifs": pl.String,
    "economie_sociale_solidaire": pl.Boolean,
    "societe_mission": pl.Boolean,
    "etat_administratif_unite_legale": pl.String,
    "etat_administratif_etablissement": pl.String,
    "statut_diffusion_unite_legale": pl.String,
    "statut_diffusion_etablissement": pl.String,
    "adresse": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
}
# cached column -> field of RechercheEntreprises.lookup()
FROM_API = {
    "denomination": "nom_raison_sociale",
    "categorie_juridique": "nature_juridique",
    "naf": "activite_principale",
    "tranche_effectifs": "tranche_effectif_salarie",
    "economie_sociale_solidaire": "est_ess",
    "societe_mission": "est_societe_mission",
    "etat_administratif_unite_legale": "etat_administratif",
    "etat_administratif_etablissement": "etablissement_etat_administratif",
    "statut_diffusion_unite_legale": "statut_diffusion",
    "statut_diffusion_etablissement": "statut_diffusion_etablissement",
    "adresse": "adresse",
    "latitude": "latitude",
    "longitude": "longitude",
}


@dataclass
class Lookups:
    """What one run asked: SIRETs looked up, found among them, and the failed calls."""

    asked: int = 0
    found: int = 0
    errors: list[str] = field(default_factory=list)


def read_cache(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every cached answer (CACHED_COLUMNS); empty when the table does not exist yet."""
    exists = con.execute(
        "SELECT 1 FROM information_schema.tables "
        "WHERE table_schema = 'enrich' AND table_name = 'recherche_cache'"
    ).fetchall()
    if not exists:
        return pl.DataFrame(schema=CACHED_COLUMNS)
    return con.sql(f"SELECT * FROM {CACHE_TABLE}").pl().select(list(CACHED_COLUMNS))


def row_of(siret: str, found: dict | None) -> dict:
    """The cache row of one lookup answer (None: the API does not know this SIRET)."""
    row = dict.fromkeys(CACHED_COLUMNS) | {"siret": siret, "trouve": found is not None}
    if found is not None:
        row |= {column: found.get(name) for column, name in FROM_API.items()}
    return row


def lookup_missing(
    con: duckdb.DuckDBPyConnection, client: RechercheEntreprises, sirets: list[str]
) -> Lookups:
    """Look up the `sirets` absent from the cache and store their answers."""
    known = set(read_cache(con).get_column("siret"))
    missing = sorted(set(sirets) - known)
    lookups, rows = Lookups(), []
    for siret in missing:
        try:
            found = client.lookup(siret)
        except RechercheEntreprisesError as error:
            lookups.errors.append(str(error))
            continue
        rows.append(row_of(siret, found))
    lookups.asked, lookups.found = len(rows), sum(row["trouve"] for row in rows)
    if rows:
        _store(con, pl.DataFrame(rows, schema=CACHED_COLUMNS))
    return lookups


def _store(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS enrich")
    con.register("recherche_rows", rows)
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {CACHE_TABLE} AS "
        "SELECT *, current_timestamp AS looked_up_at FROM recherche_rows LIMIT 0"
    )
    names = ", ".join(CACHED_COLUMNS)
    con.execute(f"DELETE FROM {CACHE_TABLE} WHERE siret IN (SELECT siret FROM recherche_rows)")
    con.execute(f"INSERT INTO {CACHE_TABLE} ({names}) SELECT {names} FROM recherche_rows")
    con.unregister("recherche_rows")
