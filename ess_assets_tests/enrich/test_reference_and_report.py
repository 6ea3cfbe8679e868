"""SIRENE reference per supplier, the lookup cache, qualification wiring, gap report."""

import duckdb
import polars as pl

from ess_assets.enrich.gaps import gap_report
from ess_assets.enrich.location import load_town_halls
from ess_assets.enrich.qualification import qualification
from ess_assets.enrich.recherche import RechercheEntreprises, flatten
from ess_assets.enrich.recherche_cache import CACHED_COLUMNS, lookup_missing, read_cache, row_of
from ess_assets.enrich.reference import supplier_reference, with_found_sirets
from ess_assets.enrich.sirene import etablissement_reference
from ess_assets.http import make_session
from ess_assets_tests.enrich.frames import NO_SIRENE

ETABLISSEMENTS = pl.DataFrame(
    {
        "siret": ["41071771400035", "41071771400043", "48744469700428"],
        "siren": ["410717714", "410717714", "487444697"],
        "activitePrincipaleEtablissement": ["78.20Z", "78.20Z", "35.11Z"],
        "etatAdministratifEtablissement": ["F", "A", "A"],
        "statutDiffusionEtablissement": ["O", "O", "O"],
    }
)
LINKS = pl.DataFrame(
    {
        "siretEtablissementPredecesseur": ["41071771400035"],
        "siretEtablissementSuccesseur": ["41071771400043"],
        "dateLienSuccession": ["2021-01-01"],
    }
)
GOLDEN = pl.DataFrame(
    {
        "supplier_id": ["moved", "api", "partner", "none"],
        "siret": ["41071771400035", "48744469700428", "34786800200010", None],
        "siren": ["410717714", "487444697", "347868002", None],
        "naf": [None, None, "78.30Z", None],
    }
)


def recorded_cache(recorded) -> pl.DataFrame:
    answer = recorded("recherche_entreprises", "search-48744469700428.json")["result"]
    found = flatten(answer["results"][0], "48744469700428")
    rows = [row_of("48744469700428", found), row_of("34786800200010", None)]
    return pl.DataFrame(rows, schema=CACHED_COLUMNS)


def test_reference_follows_successions_and_prefers_the_api(recorded):
    stock = etablissement_reference(ETABLISSEMENTS)
    reference = supplier_reference(GOLDEN, stock, LINKS, recorded_cache(recorded))
    rows = {row["supplier_id"]: row for row in reference.iter_rows(named=True)}
    assert set(rows) == {"moved", "api", "partner"}  # no SIRET, no reference row
    assert rows["moved"]["siret_successeur"] == "41071771400043"
    assert rows["moved"]["actif"] is True  # closed, but carried on by its successor
    assert rows["moved"]["origine_sirene"] == "stock"
    assert rows["api"]["denomination"] == "ESSOR ENERGIES"
    assert rows["api"]["categorie_juridique"] == "5499"
    assert rows["api"]["origine_sirene"] == "recherche+stock"
    assert rows["partner"]["naf"] == "78.30Z"
    assert rows["partner"]["naf_origine"] == "partenaires"
    assert rows["partner"]["origine_sirene"] is None  # the API did not know it


def test_found_sirets_fill_only_suppliers_without_one():
    candidates = pl.DataFrame(
        {"supplier_id": ["none", "api"], "siret_candidat": ["11111111100011", "2" * 14]},
    ).with_columns(pl.lit("accepted").alias("decision"))
    filled = with_found_sirets(GOLDEN, candidates)
    row = filled.filter(pl.col("supplier_id") == "none").row(0, named=True)
    assert (row["siret"], row["siren"], row["siret_origine"]) == (
        "11111111100011",
        "111111111",
        "recherche_nom",
    )
    assert filled.filter(pl.col("supplier_id") == "api")["siret"].item() == "48744469700428"


def test_lookup_cache_asks_each_siret_once(mocked, recorded):
    answer = recorded("recherche_entreprises", "search-48744469700428.json")["result"]
    mocked.get("https://recherche.test/search", json=answer)
    client = RechercheEntreprises("https://recherche.test", session=make_session(backoff=0))
    con = duckdb.connect()
    first = lookup_missing(con, client, ["48744469700428", "34786800200010"])
    assert (first.asked, first.found, len(mocked.calls)) == (2, 1, 2)
    again = lookup_missing(con, client, ["48744469700428", "34786800200010"])
    assert (again.asked, len(mocked.calls)) == (0, 2)
    assert read_cache(con).height == 2


def test_a_failed_lookup_is_not_cached(mocked):
    mocked.get("https://recherche.test/search", status=500)
    client = RechercheEntreprises(
        "https://recherche.test", session=make_session(retries=0, backoff=0)
    )
    con = duckdb.connect()
    lookups = lookup_missing(con, client, ["48744469700428"])
    assert (lookups.asked, len(lookups.errors)) == (0, 1)
    assert read_cache(con).is_empty()


def test_partner_networks_are_a_reason():
    golden = pl.DataFrame(
        {
            "supplier_id": ["coop", "sarl"],
            "forme_juridique": [None, "SARL unipersonnelle"],
            "type_structure": ["EI", "EA"],
            "types_structure": ["EI", "EA"],
            "naf": ["43.22A", "81.30Z"],
            "sources": ["asp_siae, urscop", "gesat"],
        }
    )
    sirene = NO_SIRENE
    families = {"asp_siae": "national_list", "urscop": "cooperative", "gesat": "disability"}
    rows = {r["supplier_id"]: r for r in qualification(golden, sirene, families).to_dicts()}
    assert rows["coop"]["famille_ess"] == "cooperative"
    assert rows["coop"]["familles_reseaux"] == "cooperative, national_list"
    assert rows["sarl"]["famille_ess"] == "inconnue"
    assert "réseaux partenaires (disability)" in rows["sarl"]["famille_ess_raison"]
    assert rows["sarl"]["marches_reserves"][0] == "L2113-12"
    assert rows["sarl"]["cpv_divisions"] == ["77"]


def test_gap_report_counts_each_source_and_lists():
    before = pl.DataFrame({"sources": ["a, b", "b"], "naf": [None, "88.10A"]})
    after = before.with_columns(
        pl.lit("88.10A").alias("naf"), pl.Series("cpv_divisions", [["85"], []])
    )
    report = gap_report(before, after, ["naf", "cpv_divisions"])
    shares = {(r["champ"], r["source"]): (r["avant"], r["apres"]) for r in report.to_dicts()}
    assert shares[("naf", "toutes")] == (0.5, 1.0)
    assert shares[("naf", "a")] == (0.0, 1.0)
    assert shares[("cpv_divisions", "b")] == (0.0, 0.5)


def test_town_halls_one_row_per_code_and_marseille_districts_placed():
    halls = load_town_halls()
    assert halls.get_column("code_commune").is_unique().all()
    marseille_7 = halls.filter(pl.col("code_commune") == "13207").row(0, named=True)
    assert marseille_7["latitude_mairie"] is not None
