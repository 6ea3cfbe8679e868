"""Turn a source's raw rows into records of the common schema, and say which rows cannot be.

`to_records` is the whole normalisation of one source, as a plain function on polars frames:
map the source's columns (registry mapping), clean every field, resolve the commune, then
validate with the pandera model. A row that fails a rule leaves for the quarantine with its
reason; every raw row ends in exactly one of the two outputs.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

from ess_assets.normalise import contact, names
from ess_assets.normalise.commune import CommuneIndex
from ess_assets.normalise.naf import clean_naf
from ess_assets.normalise.schema import COLUMN_NAMES, SCHEMA, SupplierRecord
from ess_assets.normalise.siret import siret_columns
from ess_assets.sources.registry import Source
from ess_assets.sources.snapshots import RAW_META

QUARANTINE_SCHEMA = {
    "source": pl.String,
    "source_record_id": pl.String,
    "source_line": pl.Int64,
    "reason": pl.String,
    "raw": pl.String,
}
_POINT = r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)"


@dataclass
class Normalised:
    records: pl.DataFrame  # the common schema, valid by SupplierRecord
    quarantine: pl.DataFrame  # QUARANTINE_SCHEMA


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Null for an empty or blank value; any other value unchanged (stripping comes later)."""
    text = expr.cast(pl.String)
    return pl.when(text.str.strip_chars() == "").then(None).otherwise(text)


def _map_unique(column: str, function: Callable[[str], str | None]) -> pl.Expr:
    """Apply a Python cleaning function once per distinct value, not once per row."""
    return pl.col(column).map_batches(
        lambda values: values.replace_strict(
            {value: function(value) for value in values.drop_nulls().unique()},
            default=None,
            return_dtype=pl.String,
        ),
        return_dtype=pl.String,
    )


def map_columns(source: Source, raw: pl.DataFrame) -> pl.DataFrame:
    """The registry mapping applied: one text column per settable common column."""
    mapping = source.mapping
    columns = []
    for target, origin in mapping.columns.items():
        parts = [origin] if isinstance(origin, str) else origin
        values = [_blank_to_null(pl.col(part).str.strip_chars()) for part in parts]
        if target == "siret_source":
            values = [_blank_to_null(pl.col(part)) for part in parts]  # kept as written
        joined = pl.concat_str(values, separator=" ", ignore_nulls=True)
        columns.append(_blank_to_null(joined).alias(target))
    columns += [pl.lit(value, pl.String).alias(name) for name, value in mapping.constants.items()]
    mapped = raw.select(pl.col("_source_record_id"), pl.col("_line"), *columns)
    for target, table in mapping.values.items():
        mapped = mapped.with_columns(pl.col(target).replace(table))
    if mapping.point:
        point = raw.get_column(mapping.point).str.extract_groups(_POINT)
        mapped = mapped.with_columns(
            longitude=point.struct.field("1").cast(pl.Float64, strict=False),
            latitude=point.struct.field("2").cast(pl.Float64, strict=False),
        )
    return mapped


def clean(mapped: pl.DataFrame, source: Source, communes: CommuneIndex) -> pl.DataFrame:
    """Every field cleaned into the common schema (types, formats, commune codes)."""
    frame = mapped.with_columns(
        pl.lit(None, pl.String).alias(name)
        for name in COLUMN_NAMES
        if name not in mapped.columns and SCHEMA[name] == pl.String
    )
    frame = frame.with_columns(
        source=pl.lit(source.name),
        source_record_id=pl.col("_source_record_id"),
        source_line=pl.col("_line"),
        nom_normalise=_map_unique("nom", names.fold),
        type_structure=pl.col("type_structure").str.to_uppercase().str.strip_chars(),
        naf=_map_unique("naf", clean_naf),
        code_postal=pl.col("code_postal").str.zfill(5),
        departement=pl.col("departement").str.strip_chars_start("0").str.zfill(2),
        telephone=_map_unique("telephone", contact.phone_e164),
        email=_map_unique("email", contact.clean_email),
        site_web=_map_unique("site_web", contact.clean_website),
    )
    frame = siret_columns(frame, "siret_source")
    frame = communes.resolve_frame(frame, "code_postal", "commune", "departement")
    for name in ("latitude", "longitude"):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Float64).alias(name))
    return frame.select(pl.col(name).cast(SCHEMA[name]) for name in COLUMN_NAMES)


def _quarantine(source: Source, raw: pl.DataFrame, reasons: pl.DataFrame) -> pl.DataFrame:
    """Quarantine rows for the raw rows named in `reasons` (source_record_id, reason)."""
    data_columns = [c for c in raw.columns if c not in RAW_META]
    rows = raw.join(reasons, left_on="_source_record_id", right_on="source_record_id")
    return rows.select(
        source=pl.lit(source.name),
        source_record_id=pl.col("_source_record_id"),
        source_line=pl.col("_line"),
        reason=pl.col("reason"),
        raw=pl.struct(data_columns).map_elements(
            lambda row: json.dumps(row, ensure_ascii=False), return_dtype=pl.String
        ),
    )


def _failures(records: pl.DataFrame) -> pl.DataFrame:
    """Rows breaking the pandera model, one reason per row (source_record_id, reason)."""
    try:
        SupplierRecord.validate(records, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.filter(pl.col("index").is_not_null())
        if cases.height < len(errors.failure_cases):
            raise  # a failure of the whole frame (missing column, wrong type) is a bug
        ids = records.get_column("source_record_id")
        return (
            cases.with_columns(source_record_id=ids.gather(cases.get_column("index")))
            .group_by("source_record_id", maintain_order=True)
            .agg(
                reason=pl.format("{} fails {} ({})", "column", "check", "failure_case").str.join(
                    "; "
                )
            )
        )
    return pl.DataFrame(schema={"source_record_id": pl.String, "reason": pl.String})


def to_records(source: Source, raw: pl.DataFrame, communes: CommuneIndex) -> Normalised:
    """Normalise one source's raw table; records read = records kept + quarantined."""
    records = clean(map_columns(source, raw), source, communes)

    nameless = pl.col("nom_normalise").fill_null("") == ""
    no_name = records.filter(nameless).select(
        "source_record_id", reason=pl.lit("no name: a supplier needs a name to be published")
    )
    records = records.filter(~nameless)

    invalid = _failures(records)
    records = records.join(invalid, on="source_record_id", how="anti")

    reasons = pl.concat([no_name, invalid])
    quarantine = _quarantine(source, raw, reasons).cast(QUARANTINE_SCHEMA)
    if records.height + quarantine.height != raw.height:
        raise RuntimeError(
            f"{source.name}: {raw.height} rows read but {records.height} normalised and "
            f"{quarantine.height} quarantined: a row was lost, this is a bug"
        )
    return Normalised(records=SupplierRecord.validate(records), quarantine=quarantine)
