"""Regressions and read-backs of the enrichment assets on small hand-made warehouses: town halls
on a data folder without references, reviewers' answers on SIRET candidates, CPV divisions
and ESUS without a NAF code."""

import json
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from ess_assets.enrich.naf_cpv import load_sectors_cpv, sector_of, sectors
from ess_assets.enrich.qualification import qualification
from ess_assets.enrich.qualify_assets import locations
from ess_assets.enrich.reference import with_found_sirets
from ess_assets.enrich.reference_assets import siret_candidates
from ess_assets.enrich.services import EnrichServices
from ess_assets.enrich.siret_finder import honour_reviews
from ess_assets.resources import Folders
from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets.warehouse import read_table, write_table
from ess_assets_tests.enrich.frames import NO_SIRENE


def _resources(root: Path, data_dir: Path) -> dict:
    return {
        "warehouse": DuckDBResource(database=str(root / "warehouse.duckdb")),
        "folders": Folders(
            data_dir=str(data_dir),
            snapshot_dir=str(root / "snapshots"),
            export_dir=str(root / "export"),
            analytics_file=str(root / "analytics_warehouse.duckdb"),
        ),
        "enrich_services": EnrichServices(),
    }


def _seed(root: Path, tables: dict[str, pl.DataFrame]) -> None:
    with duckdb.connect(str(root / "warehouse.duckdb")) as con:
        for name, frame in tables.items():
            write_table(con, name, frame)


def _read(root: Path, table: str) -> pl.DataFrame:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        return read_table(con, table)


def test_locations_on_a_data_folder_without_references(tmp_path):
    # The generated workloads' data folder holds partner files only: enrich/locations read the
    # town halls from <data>/reference/communes.csv and failed with FileNotFoundError.
    data = tmp_path / "data"
    (data / "partners").mkdir(parents=True)
    (data / "partners" / "membres.csv").write_text("nom,siret\nAtelier Vert,\n", encoding="utf-8")
    golden = pl.DataFrame(
        {
            "supplier_id": ["ess-a", "ess-b"],
            "adresse": [None, "1 RUE DE LA REPUBLIQUE"],
            "code_commune": ["69383", "73065"],
            "latitude": [None, None],
            "longitude": [None, None],
        },
        schema_overrides={"latitude": pl.Float64, "longitude": pl.Float64},
    )
    sirene = pl.DataFrame(
        schema={
            "supplier_id": pl.String,
            "adresse": pl.String,
            "statut_diffusion_etablissement": pl.String,
        }
    )
    _seed(tmp_path, {"match.golden": golden, "enrich.sirene": sirene})
    result = dg.materialize([locations], resources=_resources(tmp_path, data))
    assert result.success
    placed = _read(tmp_path, "enrich.locations").sort("supplier_id")
    assert placed["precision_coordonnees"].to_list() == ["commune", "commune"]
    assert placed["latitude"].is_not_null().all()


UNITS = "siren,denominationUniteLegale\n111111111,ATELIER VERT\n222222222,ATELIER VERT\n"
UNITS += "333333333,REGIE DES QUAIS\n"
SITES = "siren,nic,siret,codeCommuneEtablissement\n"
SITES += "111111111,00011,11111111100011,69383\n222222222,00022,22222222200022,69383\n"
SITES += "333333333,00033,33333333300033,73065\n"


def test_reviewers_answers_on_siret_candidates_are_kept_next_run(tmp_path):
    data = tmp_path / "data"
    (data / "enrich").mkdir(parents=True)
    (data / "enrich" / "stock_unite_legale_test.csv").write_text(UNITS, encoding="utf-8")
    (data / "enrich" / "stock_etablissement_test.csv").write_text(SITES, encoding="utf-8")
    golden = pl.DataFrame(
        {
            "supplier_id": ["ess-vert", "ess-quais"],
            "nom": ["Atelier Vert", "Régie des Quais"],
            "siret": [None, None],
            "siren": [None, None],
            "code_commune": ["69383", "73065"],
        },
        schema_overrides={"siret": pl.String, "siren": pl.String},
    )
    _seed(tmp_path, {"match.golden": golden})
    resources = _resources(tmp_path, data)

    assert dg.materialize([siret_candidates], resources=resources).success
    first = {
        (row["supplier_id"], row["siret_candidat"]): row["decision"]
        for row in _read(tmp_path, "match.siret_candidates").iter_rows(named=True)
    }
    assert first == {
        ("ess-vert", "11111111100011"): "review",  # two equal names: no margin
        ("ess-vert", "22222222200022"): "review",
        ("ess-quais", "33333333300033"): "accepted",
    }
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute(
            "UPDATE match.siret_candidates SET decision = ? WHERE siret_candidat = ?",
            ["accepted", "22222222200022"],
        )
        con.execute(
            "UPDATE match.siret_candidates SET decision = ? WHERE siret_candidat = ?",
            ["rejected", "33333333300033"],
        )

    assert dg.materialize([siret_candidates], resources=resources).success
    second = _read(tmp_path, "match.siret_candidates")
    decisions = dict(zip(second["siret_candidat"], second["decision"], strict=True))
    assert decisions == {
        "11111111100011": "review",
        "22222222200022": "accepted",
        "33333333300033": "rejected",
    }
    found = with_found_sirets(golden, second).sort("supplier_id")
    assert found["siret"].to_list() == [None, "22222222200022"]  # ess-quais, ess-vert


def test_an_answer_outlives_its_candidate_and_overrides_the_machine():
    machine = pl.DataFrame(
        {
            "supplier_id": ["s1", "s1"],
            "nom": ["A", "A"],
            "code_commune": ["69383", "69383"],
            "siret_candidat": ["1", "2"],
            "denomination_candidat": ["A", "AA"],
            "score": [1.0, 0.7],
            "rang": [1, 2],
            "decision": ["accepted", "review"],
            "decision_auto": ["accepted", "review"],
        }
    )
    previous = machine.with_columns(pl.Series("decision", ["accepted", "accepted"])).vstack(
        machine.head(1).with_columns(supplier_id=pl.lit("gone"), decision=pl.lit("rejected"))
    )
    kept = honour_reviews(machine, previous, pl.Series(["s1"]))
    assert kept["decision"].to_list() == ["review", "accepted"]  # one acceptance per supplier
    lost = honour_reviews(machine.head(0), previous, pl.Series(["s1"]))
    assert lost["siret_candidat"].to_list() == ["2"] and lost["decision"].to_list() == ["accepted"]


def test_cpv_divisions_always_say_where_they_come_from():
    assert sector_of("88.99B", ["ACI"]) == (["85"], "code NAF 88.99B (table NAF-CPV)")
    divisions, reason = sector_of(None, ["GEIQ"])
    assert divisions == ["79"] and "GEIQ" in reason and "78.30Z" in reason
    assert sector_of(None, ["EA", "EATT"])[0] == ["79"]
    divisions, reason = sector_of(None, ["ESAT"])
    assert divisions == [] and reason.startswith("aucun code NAF connu") and "ESAT" in reason
    assert sector_of(None, [])[0] == []
    frame = sectors(pl.DataFrame({"naf": ["8130Z", None], "types_structure": [["EI"], None]}))
    assert frame["cpv_divisions"].to_list() == [["77"], []]
    assert frame["cpv_divisions_raison"].null_count() == 0


def test_partner_declared_esus_qualifies_a_commercial_company():
    golden = pl.DataFrame(
        {
            "supplier_id": ["sas", "asso"],
            "forme_juridique": ["SAS", "Association déclarée"],
            "type_structure": [None, None],
            "naf": ["62.01Z", "88.10A"],
            "types_structure": [None, None],
            "sources": ["ronalpia", "ronalpia"],
            "esus": [True, True],
        },
        schema_overrides={"type_structure": pl.String, "types_structure": pl.String},
    )
    sirene = NO_SIRENE
    rows = qualification(golden, sirene, {"ronalpia": "incubator"}).sort("supplier_id")
    assert rows["famille_ess"].to_list() == ["association", "entreprise_commerciale_ess"]
    assert rows["agrements"].to_list() == [["esus"], ["esus"]]
    assert rows["agrements_raison"][1] == "agrément ESUS déclaré par un partenaire"


def test_suppliers_with_the_same_evidence_each_get_their_row_in_golden_order():
    golden = pl.DataFrame(
        {
            "supplier_id": ["b", "a", "c"],
            "forme_juridique": ["SARL", "Association déclarée", "SARL"],
            "type_structure": ["EI", None, "EI"],
            "naf": [None, None, None],
            "types_structure": ["EI", None, "EI"],
            "sources": ["asp_siae", "coorace", "asp_siae"],
        },
        schema_overrides={"naf": pl.String},
    )
    families = {"asp_siae": "national_list", "coorace": "insertion"}
    rows = qualification(golden, NO_SIRENE, families)
    assert rows["supplier_id"].to_list() == ["b", "a", "c"]
    assert rows["famille_ess"].to_list() == ["inconnue", "association", "inconnue"]
    assert rows["marches_reserves"].to_list() == [
        ["L2113-13", "L2113-14"],
        [],
        ["L2113-13", "L2113-14"],
    ]
    assert rows["familles_reseaux"].to_list() == ["national_list", "insertion", "national_list"]


def test_every_sector_label_of_the_samples_is_in_the_table():
    partners = BUNDLED_DATA_DIR / "partners"
    gesat = json.loads((partners / "gesat_etablissements.json").read_text(encoding="utf-8"))
    aura_ee = json.loads((partners / "aura_ee_acteurs.json").read_text(encoding="utf-8"))
    labels = {label for row in gesat["results"] for label in row["activites"]}
    labels |= {row["domaine"] for row in aura_ee["results"]}
    written = {"adere_fournisseurs.csv": "Famille d'achat", "scop_btp_entreprises.csv": "MÉTIER"}
    for name, column in written.items():
        frame = pl.read_csv(partners / name, separator=";", encoding="cp1252", infer_schema=False)
        labels |= set(frame.get_column(column).drop_nulls())
    assert {label.lower() for label in labels} <= set(load_sectors_cpv())


def test_declared_sectors_add_divisions_and_say_so():
    frame = sectors(
        pl.DataFrame(
            {
                "naf": [None, "81.30Z"],
                "types_structure": [["ESAT"], ["SCOP"]],
                "secteurs": [["Espaces verts", "sous-traitance"], ["Paysage, espaces verts"]],
            }
        )
    )
    assert frame["cpv_divisions"].to_list() == [["77"], ["77"]]
    reasons = frame["cpv_divisions_raison"].to_list()
    assert reasons[0].startswith("secteurs déclarés par les partenaires (Espaces verts)")
    assert reasons[1].startswith("code NAF 81.30Z")
