"""The spreadsheet for buyers: one readable sheet of suppliers, the columns explained on another."""

from io import BytesIO
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ess_assets.publish.fields import FIELDS
from ess_assets.sources.snapshots import write_atomically

DATA_SHEET = "Fournisseurs ESS"
COLUMNS_SHEET = "Colonnes"
MAX_WIDTH = 50


def write_workbook(published: pl.DataFrame, path: Path) -> None:
    """Write `published` as an .xlsx file: frozen bold header, filters, readable widths."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append(published.columns)
    for row in published.iter_rows():
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _style_header(sheet, published.columns, published)

    described = workbook.create_sheet(COLUMNS_SHEET)
    described.append(["colonne", "type", "description"])
    for field in FIELDS:
        if field.name in published.columns:
            described.append([field.name, field.type, field.description])
    described.freeze_panes = "A2"
    _style_header(described, ["colonne", "type", "description"], None)

    buffer = BytesIO()
    workbook.save(buffer)
    write_atomically(path, buffer.getvalue())


def _style_header(sheet, columns: list[str], frame: pl.DataFrame | None) -> None:
    for index, name in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        longest = len(name)
        if frame is not None:
            lengths = frame.get_column(name).cast(pl.String).str.len_chars().max()
            longest = max(longest, lengths or 0)
        else:
            longest = max(len(str(cell.value or "")) for cell in sheet[get_column_letter(index)])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
