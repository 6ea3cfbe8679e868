"""Read a fetched file into a frame of text columns, keeping broken rows aside.

Every reader returns the same shape: one column per source column (all text, as received),
plus `_line`, the record's line in a CSV file, its row in a spreadsheet or its position in a
JSON list. A row that cannot be read (wrong number of fields, bytes not in the declared
encoding) is not dropped: it comes back in `broken` with its line and the reason.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

from ess_assets.sources.registry import Format, Source


class SourceFileError(ValueError):
    """The file as a whole cannot be read: names the file, line and column."""


class ColumnsChanged(SourceFileError):
    """The file's columns are not the ones the registry entry expects."""

    def __init__(self, file: str, missing: list[str], added: list[str]):
        self.missing, self.added = missing, added
        super().__init__(f"{file}: columns changed: missing {missing}, unexpected {added}")


@dataclass
class BrokenRow:
    line: int
    text: str
    reason: str


@dataclass
class RawRead:
    frame: pl.DataFrame
    broken: list[BrokenRow] = field(default_factory=list)


def read_source(
    source: Source, content: bytes, file: str, previous: list[str] | None = None
) -> RawRead:
    """Read `content` (the file `file` as received) the way the registry entry says.

    `previous` is the list of columns of the last good file, when there is one.
    """
    readers = {"csv": _read_csv, "json": _read_json, "xlsx": _read_xlsx}
    read = readers[source.format.kind](content, source.format, file)
    check_columns(source, [c for c in read.frame.columns if c != "_line"], file, previous)
    return read


def check_columns(source: Source, columns: list[str], file: str, previous: list[str] | None):
    """Raise ColumnsChanged when the file lacks a column the mapping reads, or when its columns
    differ from those of the last good file (renamed, missing or added)."""
    known = set(previous or ()) | source.expected_columns
    missing = sorted(known - set(columns))
    added = sorted(set(columns) - set(previous)) if previous else []
    if missing or added:
        raise ColumnsChanged(file, missing, added)


def _frame(header: list[str], rows: list[list[str | None]], lines: list[int]) -> pl.DataFrame:
    data = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    frame = pl.DataFrame(data, schema=dict.fromkeys(header, pl.String))
    return frame.with_columns(pl.Series("_line", lines, dtype=pl.Int64))


def _decode(content: bytes, fmt: Format) -> str:
    encoding = "utf-8-sig" if fmt.encoding.lower().replace("_", "-") == "utf-8" else fmt.encoding
    # surrogateescape keeps undecodable bytes visible so the rows holding them can be quarantined
    return content.decode(encoding, errors="surrogateescape")


def _has_bad_bytes(values: list[str]) -> bool:
    return any("\udc80" <= char <= "\udcff" for value in values for char in value)


def _read_csv(content: bytes, fmt: Format, file: str) -> RawRead:
    reader = csv.reader(io.StringIO(_decode(content, fmt), newline=""), delimiter=fmt.delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise SourceFileError(f"{file}: line 1: empty file, a header row was expected") from None
    while header and not header[-1]:
        header.pop()  # trailing separators after the last named column
    if len(set(header)) != len(header) or "" in header:
        raise SourceFileError(f"{file}: line 1: header has empty or repeated names: {header}")
    rows, lines, broken = [], [], []
    start = reader.line_num + 1
    last = (start, len(header))  # line and number of fields of the last row with a value
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            text = fmt.delimiter.join(values)
            if not any(value.strip() for value in values):
                continue
            last = (line, len(values))
            if _has_bad_bytes(values):
                reason = f"bytes that are not valid {fmt.encoding}"
                broken.append(BrokenRow(line, text.encode("utf-8", "replace").decode(), reason))
                continue
            extra = values[len(header) :]
            if len(values) < len(header) or any(value.strip() for value in extra):
                reason = f"{len(values)} fields where the header has {len(header)}"
                broken.append(BrokenRow(line, text, reason))
                continue
            rows.append(values[: len(header)])
            lines.append(line)
    except csv.Error as error:
        raise SourceFileError(f"{file}: line {reader.line_num}: {error}") from error
    if last[1] < len(header) and not content.endswith((b"\n", b"\r")):
        # A short last row without its line break is a file cut short (a transfer or copy
        # stopped half-way), not one broken row: the rows after it are missing too.
        raise SourceFileError(
            f"{file}: line {last[0]}: the file ends inside a row ({last[1]} fields of "
            f"{len(header)}, no final line break): it was cut short"
        )
    return RawRead(_frame(header, rows, lines), broken)


def _json_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _read_json(content: bytes, fmt: Format, file: str) -> RawRead:
    try:
        document = json.loads(content.decode(fmt.encoding))
    except UnicodeDecodeError as error:
        raise SourceFileError(f"{file}: byte {error.start}: not valid {fmt.encoding}") from error
    except json.JSONDecodeError as error:
        message = f"{file}: line {error.lineno}, column {error.colno}: {error.msg}"
        raise SourceFileError(message) from error
    records = document
    for key in (fmt.record_path or "").split("."):
        if key:
            records = records.get(key) if isinstance(records, dict) else None
    if not isinstance(records, list):
        raise SourceFileError(f"{file}: no list of records at {fmt.record_path or 'the top'}")
    header = list(dict.fromkeys(key for r in records if isinstance(r, dict) for key in r))
    rows, lines, broken = [], [], []
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            broken.append(BrokenRow(position, _json_text(record) or "", "not a JSON object"))
            continue
        rows.append([_json_text(record.get(name)) for name in header])
        lines.append(position)
    return RawRead(_frame(header, rows, lines), broken)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _read_xlsx(content: bytes, fmt: Format, file: str) -> RawRead:
    from openpyxl import load_workbook  # only spreadsheet sources pay for the import

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a bad file
        raise SourceFileError(f"{file}: not a readable Excel workbook: {error}") from error
    if fmt.sheet and fmt.sheet not in workbook.sheetnames:
        raise SourceFileError(f"{file}: no sheet {fmt.sheet!r}, found {workbook.sheetnames}")
    sheet = workbook[fmt.sheet] if fmt.sheet else workbook.worksheets[0]
    all_rows = sheet.iter_rows(min_row=fmt.header_row, values_only=True)
    header_cells = [_cell_text(value) for value in next(all_rows, ())]
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    header = [(name or "").strip() for name in header_cells]
    if not header or "" in header or len(set(header)) != len(header):
        raise SourceFileError(f"{file}: row {fmt.header_row}: header has empty or repeated names")
    rows, lines = [], []
    for offset, values in enumerate(all_rows, start=fmt.header_row + 1):
        cells = [_cell_text(value) for value in values][: len(header)]
        if not any(cell and cell.strip() for cell in cells):
            continue
        rows.append(cells + [None] * (len(header) - len(cells)))
        lines.append(offset)
    workbook.close()
    return RawRead(_frame(header, rows, lines))
