"""The Recherche d'entreprises client on recorded answers and recorded-shape failures."""

import pytest
import requests

from ess_assets.enrich.recherche import (
    RechercheEntreprises,
    RechercheEntreprisesError,
    flatten,
    parse_type_siae,
)
from ess_assets.http import make_session

BASE = "https://recherche.test"
URL = f"{BASE}/search"


def client(retries: int = 2) -> RechercheEntreprises:
    return RechercheEntreprises(BASE, session=make_session(retries=retries, backoff=0))


def answer(recorded, term: str) -> dict:
    return recorded("recherche_entreprises", f"search-{term}.json")["result"]


def test_siren_lookup_flattens_the_legal_unit(mocked, recorded):
    mocked.get(URL, json=answer(recorded, "400461356"))
    row = client().lookup("400 461 356")
    assert mocked.calls[0].request.params == {"q": "400461356"}
    assert row["siren"] == "400461356"
    assert row["nature_juridique"] == "9220"
    assert row["est_ess"] is True
    assert row["est_siae"] is True
    assert row["type_siae"] == ["ACI"]
    assert "latitude" not in row  # no establishment asked for


def test_siret_lookup_returns_the_matching_establishment(mocked, recorded):
    mocked.get(URL, json=answer(recorded, "48744469700428"))
    row = client().lookup("48744469700428")
    assert row["siret"] == "48744469700428"
    assert row["code_postal"] == "24330"
    assert row["commune"] == "24053"
    assert row["latitude"] == pytest.approx(45.150768228)
    assert isinstance(row["longitude"], float)
    assert row["statut_diffusion_etablissement"] == "O"
    assert row["etablissement_etat_administratif"] == "A"
    assert row["activite_principale"] == "35.11Z"


def test_closed_establishment_keeps_its_state(mocked, recorded):
    mocked.get(URL, json=answer(recorded, "88087814500015"))
    row = client().lookup("88087814500015")
    assert row["etablissement_etat_administratif"] == "F"


def test_la_poste(mocked, recorded):
    mocked.get(URL, json=answer(recorded, "356000000"))
    row = client().lookup("356000000")
    assert row["nom_complet"] == "LA POSTE"
    assert row["siret_siege"] == "35600000000048"
    assert row["nature_juridique"] == "5510"
    assert row["est_ess"] is False


def test_not_found_is_none(mocked, recorded):
    mocked.get(URL, json=answer(recorded, "12345678900003"))
    assert client().lookup("12345678900003") is None


def test_masked_values_are_none(recorded):
    unit = answer(recorded, "48744469700428")["results"][0]
    establishment = unit["matching_etablissements"][0]
    establishment |= {"adresse": "[NON-DIFFUSIBLE]", "latitude": "[NON-DIFFUSIBLE]"}
    establishment["statut_diffusion_etablissement"] = "P"
    row = flatten(unit, "48744469700428")
    assert row["adresse"] is None
    assert row["latitude"] is None


@pytest.mark.parametrize(
    ("text", "kinds"),
    [("['ACI', 'AI']", ["ACI", "AI"]), ("ESAT", ["ESAT"]), (None, []), (["EI"], ["EI"])],
)
def test_type_siae_text_becomes_a_list(text, kinds):
    assert parse_type_siae(text) == kinds


def test_not_an_identifier_is_refused():
    with pytest.raises(ValueError, match="SIREN or SIRET"):
        client().lookup("la poste")


def test_429_with_retry_after_is_retried_then_succeeds(mocked, recorded):
    mocked.get(URL, status=429, headers={"Retry-After": "1"}, json={"erreur": "too many"})
    mocked.get(URL, json=answer(recorded, "400461356"))
    row = client().lookup("400461356")
    assert row["siren"] == "400461356"
    assert len(mocked.calls) == 2


def test_500_repeated_raises_naming_the_url(mocked):
    mocked.get(URL, status=500, body="Internal Server Error")
    with pytest.raises(RechercheEntreprisesError, match=r"https://recherche\.test/search"):
        client(retries=2).lookup("400461356")
    assert len(mocked.calls) == 3


def test_timeout_raises_naming_the_url(mocked):
    mocked.get(URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(RechercheEntreprisesError, match=r"recherche\.test.*timed out"):
        client(retries=0).lookup("400461356")


def test_malformed_json_raises_naming_the_url(mocked):
    mocked.get(URL, body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(RechercheEntreprisesError, match=r"recherche\.test/search.*not JSON"):
        client().lookup("400461356")
