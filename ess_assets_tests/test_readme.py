"""The README's schema table says what the code's schema says."""

from pathlib import Path

from ess_assets.normalise.schema import COLUMNS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_documents_every_schema_column():
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    }
    for column in COLUMNS:
        assert column.name in rows, column.name
        assert column.meaning in rows[column.name], column.name


def test_readme_shows_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
