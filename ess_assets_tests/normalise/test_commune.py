"""Commune resolution against the bundled communes reference, on triples written by the sources.

Expected INSEE codes were read by hand in ess_assets/data/reference/communes.csv.
"""

import json

import polars as pl
import pytest

from ess_assets.normalise.commune import (
    DEFAULT_PATH,
    clean_departement,
    clean_postcode,
    commune_key,
    default_index,
)

DATA = DEFAULT_PATH.parents[1]


@pytest.fixture(scope="module")
def index():
    return default_index()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ST MAURICE DE BEYNOST", "SAINT MAURICE DE BEYNOST"),
        ("Saint-Maurice-de-Beynost", "SAINT MAURICE DE BEYNOST"),
        ("STE SIGOLENE", "SAINTE SIGOLENE"),
        ("ST ETIENNE DE ST GEOIRS", "SAINT ETIENNE DE SAINT GEOIRS"),
        ("LE PUY EN VELAY", "PUY EN VELAY"),
        ("PUY EN VELAY (LE)", "PUY EN VELAY"),
        ("L'Arbresle", "ARBRESLE"),
        ("L ARBRESLE", "ARBRESLE"),
        ("COURNON D'AUVERGNE", "COURNON D AUVERGNE"),
        ("SAINT ETIENNE CEDEX 9", "SAINT ETIENNE"),
        ("LYON CEDEX 07", "LYON"),
        ("LYON 03", "LYON 3"),
        ("LYON 3EME", "LYON 3"),
        ("Lyon 3e Arrondissement", "LYON 3"),
        ("Lyon 1er Arrondissement", "LYON 1"),
        ("MARSEILLE 07", "MARSEILLE 7"),
        ("LES", "LES"),
        ("", ""),
        (None, ""),
    ],
)
def test_commune_key(name, key):
    assert commune_key(name) == key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("01500", "01500"), ("1500", "01500"), (1500, "01500"), (" 69 003 ", "69003"), ("690", None)],
)
def test_clean_postcode(raw, expected):
    assert clean_postcode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("069", "69"),
        ("69", "69"),
        ("1", "01"),
        ("2a", "2A"),
        ("974", "974"),
        ("", None),
        (None, None),
    ],
)
def test_clean_departement(raw, expected):
    assert clean_departement(raw) == expected


@pytest.mark.parametrize(
    ("postcode", "name", "dept", "code", "commune", "method"),
    [
        ("01500", "AMBERIEU EN BUGEY", "001", "01004", "Ambérieu-en-Bugey", "postcode+name"),
        (
            "01700",
            "ST MAURICE DE BEYNOST",
            "001",
            "01376",
            "Saint-Maurice-de-Beynost",
            "postcode+name",
        ),
        (
            "01700",
            "Saint-Maurice-de-Beynost",
            "01",
            "01376",
            "Saint-Maurice-de-Beynost",
            "postcode+name",
        ),
        ("74300", "CLUSES", "074", "74081", "Cluses", "postcode+name"),  # 74300: 8 communes
        ("74300", "ARACHES LA FRASSE", "074", "74014", "Arâches-la-Frasse", "postcode+name"),
        ("43000", "PUY EN VELAY (LE)", "043", "43157", "Puy-en-Velay", "postcode+name"),
        ("63200", "RIOM", "003", "63300", "Riom", "postcode+name"),  # ASP, declared in the Allier
        ("20000", "AJACCIO", None, "2A004", "Ajaccio", "postcode+name"),
        ("69003", "LYON 03", "069", "69383", "Lyon 3e Arrondissement", "arrondissement"),
        ("69003", "Lyon", "69", "69383", "Lyon 3e Arrondissement", "arrondissement"),
        ("69008", "LYON", None, "69388", "Lyon 8e Arrondissement", "arrondissement"),  # GEIQ
        (None, "Lyon 3e Arrondissement", None, "69383", "Lyon 3e Arrondissement", "arrondissement"),
        ("13007", "MARSEILLE 07", "069", "13207", "Marseille 7e Arrondissement", "arrondissement"),
        ("42951", "SAINT ETIENNE CEDEX 9", None, "42218", "Saint-Étienne", "name+department"),
        ("69361", "LYON CEDEX 07", "069", "69123", "Lyon", "name+department"),
        (None, "CLUSES", "074", "74081", "Cluses", "name+department"),  # another Cluses in 66
        ("73210", "AIME", None, "73006", "Aime-la-Plagne", "former-commune"),  # GEIQ
        (None, "Bellegarde-sur-Valserine", "01", "01033", "Valserhône", "former-commune"),
        ("69100", "VILLEURBANE", "069", "69266", "Villeurbanne", "postcode+fuzzy-name"),
        ("69520", "GRIGNY", "069", "69096", "Grigny-sur-Rhône", "postcode-only"),  # renamed
        ("69004", "Sanary-sur-Mer", "69", "69384", "Lyon 4e Arrondissement", "postcode-only"),
        ("69100", "", None, "69266", "Villeurbanne", "postcode-only"),
        ("1500", "AMBERIEU EN BUGEY", None, "01004", "Ambérieu-en-Bugey", "postcode+name"),
    ],
)
def test_resolve(index, postcode, name, dept, code, commune, method):
    match = index.resolve(postcode, name, dept)

    assert match is not None
    assert (match.code_commune, match.commune, match.method) == (code, commune, method)


def test_resolve_gives_department_region_and_town_hall(index):
    match = index.resolve("63200", "RIOM", "003")

    assert (match.departement, match.region) == ("63", "84")
    assert match.latitude_mairie == pytest.approx(45.893902)
    assert match.longitude_mairie == pytest.approx(3.11519)


@pytest.mark.parametrize(
    ("postcode", "name", "dept"),
    [
        ("01100", "Lambersart", "01"),  # Marché: city of another region, 01100 has 7 communes
        ("01150", "Aix-en-Provence", "01"),
        ("01100", "", None),  # no name, and 01100 has 7 communes
        ("01500", "", None),
        (None, "", None),
        ("99999", "NULLE PART", "01"),
    ],
)
def test_resolve_gives_none(index, postcode, name, dept):
    assert index.resolve(postcode, name, dept) is None


def test_resolve_frame_on_the_asp_list(index):
    asp = pl.read_csv(
        DATA / "iae" / "liste_siae_asp_2019-07.csv", separator=";", infer_schema=False
    )

    out = index.resolve_frame(asp, "CODE_POSTAL", "COMMUNE", "CODE_DEPARTEMENT")

    assert out.height == asp.height == 448
    assert out.get_column("code_commune").null_count() == 0
    first = out.row(0, named=True)  # AINTERIM'AIR
    assert (first["DENOMINATION_SOCIALE"], first["code_commune"]) == ("AINTERIM'AIR", "01004")
    assert (first["commune"], first["departement"], first["region"]) == (
        "Ambérieu-en-Bugey",
        "01",
        "84",
    )
    assert first["commune_method"] == "postcode+name"


def test_resolve_frame_on_the_marche_list(index):
    rows = json.loads((DATA / "marche_inclusion" / "structures_2021.json").read_text())
    marche = pl.DataFrame(rows).select("id", "post_code", "city", "department")

    out = index.resolve_frame(marche, "post_code", "city", "department")

    assert out.get_column("id").to_list() == marche.get_column("id").to_list()
    unresolved = out.filter(pl.col("code_commune").is_null())
    assert sorted(unresolved.get_column("city").to_list()) == ["Aix-en-Provence", "Lambersart"]


def test_resolve_frame_replaces_the_source_commune_column(index):
    df = pl.DataFrame(
        {
            "code_postal": ["69003", "69003", None],
            "commune": ["LYON 03", "LYON 03", None],
            "departement": ["069", "069", None],
        }
    )

    out = index.resolve_frame(df, "code_postal", "commune", "departement")

    assert out.columns == [
        "code_postal",
        "commune",
        "departement",
        "code_commune",
        "region",
        "commune_method",
    ]
    assert out.get_column("commune").to_list() == [
        "Lyon 3e Arrondissement",
        "Lyon 3e Arrondissement",
        None,
    ]
    assert out.get_column("departement").to_list() == ["69", "69", None]
    assert out.get_column("code_commune").to_list() == ["69383", "69383", None]
