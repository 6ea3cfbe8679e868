"""The ess-match console script on small CSV files."""

import csv

from ess_assets.match.cli import main

HEADER = "record_id,source,nom,enseigne,siret,adresse,code_postal,commune,extra\n"


def test_dedupe_writes_one_key_per_supplier(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text(
        HEADER + "a1,asp,COTIERE AVENIR,,34356040500023,7 Avenue DES ECOLES,01700,"
        "ST MAURICE DE BEYNOST,x\n"
        + "m1,marche,Cotière Avenir,,,7 Avenue des Ecoles,01700,Saint-Maurice-de-Beynost,y\n"
        + "a2,asp,AINTERIM'AIR,,41071771400027,171 Avenue DE SAN SEVERO,01000,"
        "BOURG EN BRESSE,z\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    assert main(["dedupe", str(source), str(target)]) == 0
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {"record_id": "a1", "supplier_key": "a1"},
        {"record_id": "m1", "supplier_key": "a1"},
        {"record_id": "a2", "supplier_key": "a2"},
    ]
    assert "2 suppliers" in capsys.readouterr().out


def test_missing_columns_are_named_and_exit_code_is_2(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("record_id,nom,commune\nr1,X,Lyon\n", encoding="utf-8")
    assert main(["dedupe", str(source), str(tmp_path / "out.csv")]) == 2
    error = capsys.readouterr().err
    assert "source, enseigne, siret, adresse, code_postal" in error
    assert not (tmp_path / "out.csv").exists()


def test_a_bad_line_is_reported_with_file_and_line(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "r1,asp,X,,,,,,\nr2,asp,Y\n", encoding="utf-8")
    assert main(["dedupe", str(source), str(tmp_path / "out.csv")]) == 2
    assert f"{source}, line 3" in capsys.readouterr().err
