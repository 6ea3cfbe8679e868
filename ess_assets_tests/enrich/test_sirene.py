"""SIRENE stock reading, the per-SIRET reference, successions and the diffusion rule."""

import polars as pl

from ess_assets.enrich.diffusion import apply_diffusion, apply_unit_diffusion
from ess_assets.enrich.sirene import (
    etablissement_reference,
    load_bundled_reference,
    read_stock,
)
from ess_assets.enrich.succession import follow_successions

ETABLISSEMENTS = """siren,nic,siret,numeroVoieEtablissement,typeVoieEtablissement,\
libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,\
codeCommuneEtablissement,activitePrincipaleEtablissement,\
nomenclatureActivitePrincipaleEtablissement,etatAdministratifEtablissement,\
statutDiffusionEtablissement
410717714,00035,41071771400035,62,AV,DU GENERAL SARRAIL,01500,AMBERIEU-EN-BUGEY,01004,78.20Z,\
NAFRev2,A,O
343560405,00023,34356040500023,[ND],[ND],[ND],01700,SAINT-MAURICE-DE-BEYNOST,01376,94.99Z,\
NAFRev2,F,P
"""
UNITES = """siren,denominationUniteLegale,categorieJuridiqueUniteLegale,\
economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,statutDiffusionUniteLegale
410717714,AINTERIM'AIR,5458,O,,O
343560405,[ND],9220,O,N,P
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_masked_values_are_nulls(tmp_path):
    frame = read_stock(write(tmp_path, "etab.csv", ETABLISSEMENTS))
    masked = frame.filter(pl.col("siret") == "34356040500023")
    assert masked["libelleVoieEtablissement"].to_list() == [None]
    assert masked["siren"].to_list() == ["343560405"]  # leading zeros kept: all text


def test_parquet_reads_like_csv(tmp_path):
    frame = read_stock(write(tmp_path, "etab.csv", ETABLISSEMENTS))
    frame.write_parquet(tmp_path / "etab.parquet")
    assert read_stock(tmp_path / "etab.parquet").equals(frame)


def test_reference_joins_legal_units_and_spells_street_types(tmp_path):
    etab = read_stock(write(tmp_path, "etab.csv", ETABLISSEMENTS))
    units = read_stock(write(tmp_path, "ul.csv", UNITES))
    reference = etablissement_reference(etab, units).sort("siret", descending=True)
    first = reference.row(0, named=True)
    assert first["adresse"] == "62 AVENUE DU GENERAL SARRAIL"
    assert first["categorie_juridique"] == "5458"
    assert first["economie_sociale_solidaire"] is True
    assert first["societe_mission"] is None
    assert first["actif"] is True
    assert first["naf"] == "78.20Z"
    second = reference.row(1, named=True)
    assert second["adresse"] is None
    assert second["actif"] is False
    assert second["denomination"] is None


def test_bundled_extract_has_only_establishment_columns():
    reference = load_bundled_reference()
    assert reference.height == 1159
    assert reference["siret"].str.len_chars().eq(14).all()
    assert reference["categorie_juridique"].null_count() == reference.height
    # the one establishment coded in NAF 1993 has no NAF rev2 code
    assert reference["naf"].null_count() == 1
    assert reference.filter(pl.col("siret") == "03970382200013")["adresse"].to_list() == [
        "RUE PALLUAT DE BESSET"
    ]


def links(*rows: tuple[str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema=[
            "siretEtablissementPredecesseur",
            "siretEtablissementSuccesseur",
            "dateLienSuccession",
        ],
        orient="row",
    )


def test_successions_follow_the_chain_to_its_end():
    frame = links(("A", "B", "2019-01-01"), ("B", "C", "2020-06-01"), ("X", "Y", "2021-01-01"))
    result = follow_successions(["A", "B", "C", "Z"], frame).sort("siret")
    assert result["siret_successeur_final"].to_list() == ["C", "C", "C", "Z"]
    assert result["successions"].to_list() == [2, 1, 0, 0]
    assert not result["succession_boucle"].any()


def test_successions_are_cycle_safe():
    frame = links(("A", "B", "2019-01-01"), ("B", "C", "2020-01-01"), ("C", "A", "2021-01-01"))
    result = follow_successions(["A"], frame).row(0, named=True)
    assert result["siret_successeur_final"] == "C"
    assert result["succession_boucle"] is True


def test_branching_successions_keep_the_latest_link():
    frame = links(("A", "OLD", "2018-01-01"), ("A", "NEW", "2022-01-01"), ("A", "A", "2023-01-01"))
    assert follow_successions(["A"], frame)["siret_successeur_final"].to_list() == ["NEW"]


def test_partial_diffusion_hides_address_and_coordinates():
    frame = pl.DataFrame(
        {
            "siret": ["1", "2", "3"],
            "adresse": ["1 RUE A", "2 RUE B", "3 RUE C"],
            "latitude": [45.0, 45.1, 45.2],
            "longitude": [4.0, 4.1, 4.2],
            "code_commune": ["69381", "69382", "69383"],
            "statut_diffusion_etablissement": ["O", "P", None],
        }
    )
    published = apply_diffusion(frame)
    assert published["adresse"].to_list() == ["1 RUE A", None, "3 RUE C"]
    assert published["latitude"].to_list() == [45.0, None, 45.2]
    assert published["code_commune"].to_list() == frame["code_commune"].to_list()


def test_partial_legal_unit_hides_the_name():
    frame = pl.DataFrame(
        {"nom": ["DUPONT JEAN", "SCOP X"], "statut_diffusion_unite_legale": ["P", "O"]}
    )
    assert apply_unit_diffusion(frame)["nom"].to_list() == [None, "SCOP X"]
