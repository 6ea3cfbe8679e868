"""The readers, on real rows of the bundled files and on broken copies of them."""

import pytest

from ess_assets.settings import BUNDLED_DATA_DIR
from ess_assets.sources.assets import record_ids
from ess_assets.sources.read import ColumnsChanged, SourceFileError, read_source
from ess_assets.sources.registry import source_named

ASP = BUNDLED_DATA_DIR / "iae" / "liste_siae_asp_2019-07.csv"
GEIQ = BUNDLED_DATA_DIR / "iae" / "geiq_2019-11.csv"


def test_asp_file_reads_every_row_as_text():
    read = read_source(source_named("asp_siae"), ASP.read_bytes(), "asp.csv")
    assert read.frame.height == 448
    assert read.broken == []
    first = read.frame.row(0, named=True)
    assert first["SIRET"] == "41071771400035"
    assert first["CODE_DEPARTEMENT"] == "001"  # three characters, kept as text
    assert first["_line"] == 2


def test_geiq_trailing_columns_dropped_and_tab_kept():
    read = read_source(source_named("geiq"), GEIQ.read_bytes(), "geiq.csv")
    assert read.frame.height == 37
    assert "" not in read.frame.columns
    assert "\t84302481100013" in read.frame.get_column("SIRET").to_list()


def test_broken_rows_are_kept_aside_with_line_and_reason():
    lines = ASP.read_bytes().splitlines(keepends=True)
    short = b"EI;069;RHONE;69003\r\n"
    latin1 = lines[2].replace(b"\xc3\xa9", b"\xe9")  # an e-acute in Latin-1 inside UTF-8
    assert latin1 != lines[2]
    content = b"".join([lines[0], lines[1], short, latin1, lines[3]])
    read = read_source(source_named("asp_siae"), content, "asp.csv")
    assert read.frame.height == 2
    assert [(row.line, row.reason) for row in read.broken] == [
        (3, "4 fields where the header has 15"),
        (4, "bytes that are not valid utf-8"),
    ]


def test_a_missing_column_is_named():
    content = ASP.read_bytes().replace(b"DENOMINATION_SOCIALE", b"RAISON_SOCIALE", 1)
    with pytest.raises(ColumnsChanged) as error:
        read_source(source_named("asp_siae"), content, "asp.csv")
    assert error.value.missing == ["DENOMINATION_SOCIALE"]
    assert error.value.added == []  # no previous file to compare with


def test_columns_compared_with_the_last_good_file():
    previous = read_source(source_named("asp_siae"), ASP.read_bytes(), "asp.csv").frame.columns
    previous = [c for c in previous if c != "_line"]
    content = ASP.read_bytes().replace(b"LIBELLE_DPT", b"NOM_DEPARTEMENT", 1)
    with pytest.raises(ColumnsChanged) as error:
        read_source(source_named("asp_siae"), content, "asp.csv", previous)
    assert (error.value.missing, error.value.added) == (["LIBELLE_DPT"], ["NOM_DEPARTEMENT"])


def test_broken_json_names_line_and_column():
    with pytest.raises(SourceFileError, match=r"m\.json: line 2, column 12"):
        read_source(source_named("marche_inclusion"), b'[\n    {"id": }]', "m.json")


def test_record_ids_number_repeats_in_file_order():
    read = read_source(source_named("asp_siae"), ASP.read_bytes(), "asp.csv")
    ids = record_ids(read.frame, ("SIRET", "MESURE")).to_list()
    assert len(set(ids)) == len(ids) == 448
    # AVENIR (RIOM) is listed twice as ACI, under departments 003 and 063
    assert ids[52] == "34776963000026-ACI"
    assert ids[297] == "34776963000026-ACI#2"


def test_a_file_cut_inside_a_row_is_refused_a_short_row_with_its_line_break_is_not():
    content = ASP.read_bytes()
    lines = content.splitlines(keepends=True)
    cut = b"".join(lines[:5]) + lines[5][:40]  # a transfer stopped in the middle of line 6
    with pytest.raises(SourceFileError, match=r"asp\.csv: line 6: the file ends inside a row"):
        read_source(source_named("asp_siae"), cut, "asp.csv")
    read = read_source(source_named("asp_siae"), cut + b"\r\n", "asp.csv")
    assert read.frame.height == 4 and [row.line for row in read.broken] == [6]
    whole = read_source(source_named("asp_siae"), content.rstrip(b"\r\n"), "asp.csv")
    assert whole.frame.height == 448  # a last row whole, only its line break missing
