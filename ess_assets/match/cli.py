"""`ess-match`: deduplicate a list of suppliers with the pipeline's matcher.

    ess-match dedupe INPUT.csv OUTPUT.csv

INPUT.csv is UTF-8 with the columns record_id, source, nom, enseigne, siret, adresse,
code_postal, commune (any value may be empty, extra columns are ignored). OUTPUT.csv gets
record_id, supplier_key: records with the same key are one establishment.
"""

import argparse
import csv
import sys
from pathlib import Path

import polars as pl

from ess_assets.match.engine import match_records
from ess_assets.match.features import OPTIONAL_COLUMNS, REQUIRED_COLUMNS


class InputError(Exception):
    """A problem with the input file, worded for the person who gave it."""


def read_records(path: Path) -> pl.DataFrame:
    """The input CSV as a frame of strings, checked for required columns and shape."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: the file is empty (expected a header line)")
            header = [name.strip().lstrip("\ufeff") for name in header]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise InputError(f"{path}: missing required column(s): {', '.join(missing)}")
            kept = [c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if c in header]
            positions = [header.index(c) for c in kept]
            rows = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise InputError(
                        f"{path}, line {reader.line_num}: {len(row)} fields, "
                        f"expected {len(header)} as in the header"
                    )
                rows.append([row[p].strip() or None for p in positions])
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from error
    except csv.Error as error:
        raise InputError(f"{path}, line {reader.line_num}: {error}") from error
    records = pl.DataFrame(rows, schema={c: pl.String for c in kept}, orient="row")
    duplicated = records.filter(pl.col("record_id").is_duplicated())["record_id"].unique()
    if records["record_id"].null_count():
        raise InputError(f"{path}: every row needs a record_id")
    if duplicated.len():
        raise InputError(f"{path}: record_id not unique: {', '.join(duplicated.head(5))}")
    return records


def dedupe(input_path: Path, output_path: Path) -> int:
    """Match the records of `input_path` and write record_id, supplier_key; returns clusters."""
    records = read_records(input_path)
    clusters = match_records(records).clusters
    clusters.select("record_id", supplier_key="cluster_key").write_csv(output_path)
    return clusters["cluster_key"].n_unique()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ess-match` console script."""
    parser = argparse.ArgumentParser(prog="ess-match", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("dedupe", help="give each record the key of its supplier")
    command.add_argument("input", type=Path, help="UTF-8 CSV of records")
    command.add_argument("output", type=Path, help="CSV to write: record_id, supplier_key")
    args = parser.parse_args(argv)
    if not args.input.is_file():
        print(f"ess-match: {args.input}: no such file", file=sys.stderr)
        return 2
    try:
        suppliers = dedupe(args.input, args.output)
    except InputError as error:
        print(f"ess-match: {error}", file=sys.stderr)
        return 2
    print(f"ess-match: {suppliers} suppliers written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
