"""The spreadsheet for buyers: one readable sheet of suppliers, the columns explained on another.

Written with rustpy-xlsxwriter, the Python binding of the Rust rust_xlsxwriter (by the author
of XlsxWriter), in constant-memory mode: 2.7 s at 130 000 suppliers and 31 columns where the
pure-Python XlsxWriter took 15.5 s. Text cells stay text (no formula, number or link is read
into a supplier's name). Read back with fastexcel (`read_sheet`), the Rust reader polars uses.

`start_workbook` writes it from the Parquet file in a process of its own
(`python -m ess_assets.publish.xlsx PARQUET XLSX`), on the second core, while the CSV and
GeoJSON are written.
"""

import subprocess
import sys
from pathlib import Path

import fastexcel
import polars as pl
from rustpy_xlsxwriter import FastExcel, Format

from ess_assets.publish.fields import FIELDS
from ess_assets.sources.snapshots import replacing

DATA_SHEET = "Fournisseurs ESS"
COLUMNS_SHEET = "Colonnes"
MAX_WIDTH = 50


def write_workbook(published: pl.DataFrame, path: Path) -> None:
    """Write `published` as an .xlsx file: frozen bold header, filters, readable widths.

    Written beside `path` then renamed, so a reader never sees half a file.
    """
    described = pl.DataFrame(
        [(f.name, f.type, f.description) for f in FIELDS if f.name in published.columns],
        schema={"colonne": pl.String, "type": pl.String, "description": pl.String},
        orient="row",
    )
    bold = Format().set_bold()
    with replacing(path) as temporary:
        book = FastExcel(temporary, output_format="xlsx").freeze(row=1)
        book.sheet(
            DATA_SHEET,
            published,
            header_format=bold,
            autofilter=True,
            column_widths=_widths(published),
        )
        book.sheet(COLUMNS_SHEET, described, header_format=bold, column_widths=_widths(described))
        book.save()


def start_workbook(parquet: Path, path: Path) -> subprocess.Popen:
    """Start writing the spreadsheet of the Parquet file `parquet` at `path`, in another
    process; `finish_workbook` waits for it."""
    command = [sys.executable, "-m", "ess_assets.publish.xlsx", str(parquet), str(path)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish_workbook(process: subprocess.Popen, path: Path) -> None:
    """Wait for the process of `start_workbook`; raise RuntimeError with its error if it failed."""
    _, error = process.communicate()
    if process.returncode != 0:
        reason = error.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(
            f"{path.name}: writing the spreadsheet failed (exit {process.returncode}): "
            + (reason[-1] if reason else "no message")
        )


def read_sheet(path: Path) -> pl.DataFrame:
    """The suppliers' sheet of a workbook written by write_workbook, every cell as text."""
    reader = fastexcel.read_excel(str(path))
    return reader.load_sheet(DATA_SHEET, dtypes="string").to_polars()


def _widths(frame: pl.DataFrame) -> list[float]:
    """Each column's width: its longest value or name, two characters more, at most MAX_WIDTH."""
    return [
        min(
            max(len(name), frame.get_column(name).cast(pl.String).str.len_chars().max() or 0) + 2,
            MAX_WIDTH,
        )
        for name in frame.columns
    ]


if __name__ == "__main__":
    write_workbook(pl.read_parquet(sys.argv[1]), Path(sys.argv[2]))
