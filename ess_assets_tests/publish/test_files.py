"""The published files hold the same cells: what files_agree and package_errors catch."""

import json
from datetime import datetime

import polars as pl
import pytest
from openpyxl import load_workbook

from ess_assets.publish.fields import FIELDS
from ess_assets.publish.file_checks import differing_rows, files_agree, read_candidate, typed
from ess_assets.publish.files import read_geojson, write_export
from ess_assets.publish.package import (
    PACKAGE_FILE,
    finish_validation,
    package_errors,
    start_validation,
    write_datapackage,
)
from ess_assets.publish.xlsx import finish_workbook, read_sheet, start_workbook, write_workbook

PUBLISHED = pl.DataFrame(
    {
        "supplier_id": ["ess-1", "ess-2"],
        "nom": ["Atelier Vert", "Régie de quartier"],
        "siret": ["73282932000074", None],
        "code_postal": ["69001", "01000"],
        "latitude": [45.767299, 46.2051520138923],
        "longitude": [4.834329, 5.225500002],
        "sources": ["asp_siae", "geiq, urscop"],
    }
)


def _write(tmp_path, frame=PUBLISHED):
    paths = write_export(frame, tmp_path)
    fields = tuple(f for f in FIELDS if f.name in frame.columns)
    write_datapackage(paths, fields, [], datetime(2026, 12, 4))
    return paths


def test_the_files_read_back_hold_the_same_cells(tmp_path):
    paths = _write(tmp_path)
    reference = typed(PUBLISHED, PUBLISHED.schema)
    csv = typed(pl.read_csv(paths["csv"], infer_schema=False), PUBLISHED.schema)
    xlsx = typed(read_sheet(paths["xlsx"]), PUBLISHED.schema)
    assert read_sheet(paths["xlsx"]).get_column("code_postal").to_list() == ["69001", "01000"]
    assert differing_rows(reference, csv) == 0
    assert differing_rows(reference, xlsx) == 0
    assert package_errors(tmp_path / PACKAGE_FILE) == []


def test_one_changed_cell_is_one_differing_row():
    reference = typed(PUBLISHED, PUBLISHED.schema)
    changed = PUBLISHED.with_columns(
        pl.when(pl.col("supplier_id") == "ess-2")
        .then(pl.lit("Régie"))
        .otherwise(pl.col("nom"))
        .alias("nom")
    )
    assert differing_rows(reference, typed(changed, PUBLISHED.schema)) == 1
    emptied = PUBLISHED.with_columns(siret=pl.lit(None, pl.String))
    assert differing_rows(reference, typed(emptied, PUBLISHED.schema)) == 1
    assert differing_rows(reference, reference.drop("nom")) == 2


def test_a_replaced_spreadsheet_or_a_text_latitude_is_an_error(tmp_path):
    _write(tmp_path)
    (tmp_path / "opendata_ess.xlsx").write_bytes(b"not a workbook")
    PUBLISHED.with_columns(pl.col("latitude").cast(pl.String)).write_parquet(
        tmp_path / "opendata_ess.parquet"
    )
    errors = package_errors(tmp_path / PACKAGE_FILE)
    assert any(e.startswith("opendata-ess-xlsx: bytes") for e in errors)
    assert any(e.startswith("opendata-ess-xlsx: hash") for e in errors)
    assert "opendata-ess-parquet: latitude: String found, Float64 declared" in errors
    descriptor = json.loads((tmp_path / PACKAGE_FILE).read_text(encoding="utf-8"))
    assert [r["format"] for r in descriptor["resources"]] == ["csv", "parquet", "geojson", "xlsx"]


def test_the_geojson_is_read_as_a_stream_and_its_faults_found(tmp_path):
    paths = _write(tmp_path)
    good = read_geojson(paths["geojson"])
    assert (good.kind, good.has_crs, good.points_valid) == ("FeatureCollection", False, True)
    assert good.ids == ["ess-1", "ess-2"]
    assert "latitude" not in good.property_names and "nom" in good.property_names
    document = json.loads(paths["geojson"].read_text(encoding="utf-8"))
    document["crs"] = {"type": "name"}
    document["features"][1]["geometry"]["coordinates"] = [46.2, 5.2, 0.0]
    paths["geojson"].write_text(json.dumps(document), encoding="utf-8")
    bad = read_geojson(paths["geojson"])
    assert bad.has_crs and not bad.points_valid


def test_a_spreadsheet_that_cannot_be_written_fails_with_its_reason(tmp_path):
    process = start_workbook(tmp_path / "missing.parquet", tmp_path / "opendata_ess.xlsx")
    with pytest.raises(RuntimeError, match=r"opendata_ess.xlsx: writing the spreadsheet failed"):
        finish_workbook(process, tmp_path / "opendata_ess.xlsx")
    assert not (tmp_path / "opendata_ess.xlsx").exists()


def test_files_agree_reads_each_file_once_and_finds_an_extra_geojson_property(tmp_path):
    paths = _write(tmp_path)
    result = files_agree(read_candidate(paths))
    assert result.passed and result.metadata["geojson"].value == 2
    document = json.loads(paths["geojson"].read_text(encoding="utf-8"))
    document["features"][0]["properties"]["contact"] = "Jeanne"
    paths["geojson"].write_text(json.dumps(document), encoding="utf-8")
    result = files_agree(read_candidate(paths))
    assert not result.passed
    assert result.metadata["geojson_properties_are_csv_columns"].value is False
    assert result.metadata["csv_rows_differing"].value == 0


def test_validation_in_another_process_gives_package_errors(tmp_path):
    _write(tmp_path)
    assert finish_validation(start_validation(tmp_path / PACKAGE_FILE)) == []
    (tmp_path / "opendata_ess.xlsx").write_bytes(b"not a workbook")
    errors = finish_validation(start_validation(tmp_path / PACKAGE_FILE))
    assert errors == package_errors(tmp_path / PACKAGE_FILE) and len(errors) == 2


def test_text_that_looks_like_a_formula_a_number_or_a_link_stays_text(tmp_path):
    frame = pl.DataFrame({"supplier_id": ["=1+1", "0612", "https://example.org"]})
    write_workbook(frame, tmp_path / "x.xlsx")
    sheet = load_workbook(tmp_path / "x.xlsx").worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["=1+1", "0612", "https://example.org"]
    assert [cell.data_type for cell in cells] == ["s", "s", "s"]
    assert not any(cell.hyperlink for cell in cells)
