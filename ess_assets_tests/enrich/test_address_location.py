"""Address cleaning on real partner addresses, and the final coordinates with their precision."""

import polars as pl
import pytest

from ess_assets.enrich.address import clean_address
from ess_assets.enrich.location import commune_fallback, load_town_halls, settle_coordinates


@pytest.mark.parametrize(
    ("adresse", "cleaned"),
    [
        # GEIQ export, address and complement joined by the reader
        (
            "SAVOIE TECHNOLAC - Bâtiment ANDROMEDE | 108, avenue du lac Léman - BP 20301",
            "108 avenue du lac Léman",
        ),
        ("1 bis, allée des Tyrandes | BP 16", "1 bis allée des Tyrandes"),
        ("33, avenue du Dr Georges Lévy | Bât 55 - 3", "33 avenue du Dr Georges Lévy"),
        ("ZA - 124, rue de la Prairie | ", "124 rue de la Prairie"),
        ("GEIQ BTP IDA | 18, ZAC des Castors", "18 ZAC des Castors"),
        ("67, rue Jean Zay | FIRST PARK", "67 rue Jean Zay"),
        ("Allée des Lilas | Les Fenières - Bât B", "Allée des Lilas"),
        ("SAVOIE TECHNOLAC - Bâtiment ANDROMEDE", "SAVOIE TECHNOLAC"),
        # ASP list
        ("3 Rue DE BELLEVUE BP 6", "3 Rue DE BELLEVUE"),
        ("1 170 Route DU RANC", "1170 Route DU RANC"),
        ("27 Avenue DENFERT-ROCHEREAU", "27 Avenue DENFERT-ROCHEREAU"),
        ("Lieu-dit ZI DE BORLY", "Lieu-dit ZI DE BORLY"),
        ("ZA DE TERRE NEUVE II", "ZA DE TERRE NEUVE II"),
        ("9, rue du 19 mars 1962 | ", "9 rue du 19 mars 1962"),
        # Marché de l'inclusion
        ("voieldt saint martin", "voieldt saint martin"),
        ("Route du Vieux Chêne", "Route du Vieux Chêne"),
        # postal parts and complements seen in other directories
        ("12 rue de la Paix CS 30012 69003 Lyon Cedex 03", "12 rue de la Paix 69003 Lyon"),
        ("Résidence les Pins 4 rue Victor Hugo", "4 rue Victor Hugo"),
        ("4 allée de la Résidence", "4 allée de la Résidence"),
        ("TSA 70001", ""),
        (None, ""),
    ],
)
def test_clean_address(adresse, cleaned):
    assert clean_address(adresse) == cleaned


@pytest.fixture(scope="module")
def town_halls() -> pl.DataFrame:
    return load_town_halls()


def test_commune_fallback_uses_the_town_hall(town_halls):
    frame = pl.DataFrame(
        {
            "code_commune": ["01004", "69383", "01004", "99999"],
            "latitude": [None, None, 45.95, None],
            "longitude": [None, None, 5.36, None],
            "precision": [None, None, "housenumber", None],
        }
    )
    result = commune_fallback(frame, town_halls)
    assert result["precision"].to_list() == ["commune", "commune", "housenumber", None]
    assert result["latitude"][0] == pytest.approx(45.958143)  # Ambérieu-en-Bugey town hall
    assert result["longitude"][1] == pytest.approx(4.849019)  # Lyon 3e district town hall


def test_settle_prefers_an_agreeing_source(town_halls):
    frame = pl.DataFrame(
        {
            "code_commune": ["01004", "01004", "01004", "01004"],
            "latitude_source": [45.9585, 5.36, None, 45.9580],
            "longitude_source": [5.3620, 45.95, None, 5.3590],  # row 2: swapped lat/lon
            "latitude_geocode": [45.9584, None, 45.9584, None],
            "longitude_geocode": [5.3621, None, 5.3621, None],
            "precision_geocode": ["housenumber", None, "housenumber", None],
        }
    )
    result = settle_coordinates(frame, town_halls)
    assert result["precision"].to_list() == ["source", "commune", "housenumber", "source"]
    assert result["latitude"][1] == pytest.approx(45.958143)
