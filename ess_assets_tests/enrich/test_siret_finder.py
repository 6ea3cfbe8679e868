"""SIRET finding: on a small hand-made reference, and its precision on the bundled lists."""

import polars as pl

from ess_assets.enrich.siret_finder import find_candidates
from ess_assets.normalise.commune import default_index
from ess_assets.normalise.records import to_records
from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets.sources.assets import record_ids
from ess_assets.sources.read import read_source
from ess_assets.sources.registry import source_named

REFERENCE = pl.DataFrame(
    {
        "siret": ["41071771400035", "41130608700031", "11111111100011", "22222222200022"],
        "denomination": ["AINTERIM'AIR", "ALLIES", "ENVIRONNEMENT 41", "ENVIRONNEMENT 42"],
        "enseigne": [None, "Régie de quartier", None, None],
        "code_commune": ["01004", "69383", "01004", "01004"],
    }
)


def suppliers(*rows: tuple[str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["supplier_id", "nom", "code_commune"], orient="row")


def test_a_clear_name_in_the_commune_is_accepted():
    found = find_candidates(suppliers(("a", "Ainterim Air SARL", "01004")), REFERENCE)
    assert found.select("siret_candidat", "decision").row(0) == ("41071771400035", "accepted")


def test_lyon_districts_block_together_and_the_trading_name_counts():
    found = find_candidates(suppliers(("b", "REGIE DE QUARTIER", "69388")), REFERENCE)
    assert found.get_column("siret_candidat").to_list() == ["41130608700031"]


def test_another_commune_gives_nothing():
    found = find_candidates(suppliers(("c", "AINTERIM'AIR", "38185")), REFERENCE)
    assert found.is_empty()


def test_close_runners_up_go_to_review():
    found = find_candidates(suppliers(("d", "ENVIRONNEMENT 4", "01004")), REFERENCE)
    assert found.height == 2
    assert set(found.get_column("decision")) == {"review"}


def test_a_reference_without_names_finds_nothing():
    nameless = REFERENCE.with_columns(
        pl.lit(None, pl.String).alias(c) for c in ("denomination", "enseigne")
    )
    assert find_candidates(suppliers(("a", "AINTERIM'AIR", "01004")), nameless).is_empty()


def staged(name: str) -> pl.DataFrame:
    source = source_named(name)
    path = BUNDLED_DATA_DIR / source.fetch.path
    raw = read_source(source, path.read_bytes(), path.name).frame
    raw = raw.with_columns(record_ids(raw, source.record_id))
    return to_records(source, raw, default_index()).records.filter(pl.col("siret_valide"))


def test_precision_on_the_bundled_lists_with_sirets_hidden():
    """Marché de l'inclusion structures, SIRET hidden, looked up among the ASP list's."""
    reference = staged("asp_siae").select("siret", denomination="nom", code_commune="code_commune")
    queries = staged("marche_inclusion").select(
        supplier_id="source_record_id",
        nom="nom",
        enseigne="enseigne",
        code_commune="code_commune",
        truth="siret",
    )
    findable = queries.filter(pl.col("truth").is_in(reference["siret"].implode())).height
    found = find_candidates(queries.drop("truth"), reference.unique("siret"))
    accepted = found.filter(pl.col("decision") == "accepted").join(
        queries.select("supplier_id", "truth"), on="supplier_id"
    )
    right = accepted.filter(pl.col("siret_candidat") == pl.col("truth")).height
    assert right / accepted.height >= 0.99  # measured: 417 / 417
    assert right / findable >= 0.95  # measured: 0.99
