"""Small helpers around a DuckDB connection: write a frame, read a table, check one exists."""

import duckdb
import polars as pl


def write_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Replace `schema.table` with the rows of `frame`, in one transaction."""
    schema = table.split(".")[0]
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.register("_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    rows = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, name],
    ).fetchall()
    return bool(rows)


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    """Every row of `table` as a polars frame."""
    return con.sql(f"SELECT * FROM {table}").pl()


def read_columns(
    con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]
) -> pl.DataFrame:
    """The columns of `table` among `columns` (those it has), every row: a check that needs
    three columns of a wide table does not hold the rest in memory."""
    present = set(con.sql(f"SELECT * FROM {table} LIMIT 0").columns)
    chosen = ", ".join(f'"{column}"' for column in columns if column in present)
    return con.sql(f"SELECT {chosen} FROM {table}").pl()


def comment_columns(
    con: duckdb.DuckDBPyConnection, table: str, comment: str, columns: dict[str, str]
) -> None:
    """Document a table and its columns in the warehouse catalogue (COMMENT ON)."""
    con.execute(f"COMMENT ON TABLE {table} IS {_literal(comment)}")
    for column, meaning in columns.items():
        con.execute(f'COMMENT ON COLUMN {table}."{column}" IS {_literal(meaning)}')


def _literal(text: str) -> str:
    # COMMENT ON takes no parameters: quote the text as an SQL string literal
    return "'" + text.replace("'", "''") + "'"
