"""Golden supplier records: one row per cluster, each field from its most trusted record.

Survivorship rule, the same for every field: among the cluster's records that have a value,
take the one of the source with the lowest registry priority, then the most complete record
(most fields filled), then the smallest record key. Coordinates travel as a pair. The
`provenance` column says, for each published field, which record (source:id) gave it.
Lists (kinds of structure, networks, sources) gather every record's value instead.
"""

import json

import polars as pl

SURVIVING = (
    "nom",
    "enseigne",
    "siret",
    "siren",
    "forme_juridique",
    "type_structure",
    "naf",
    "adresse",
    "code_postal",
    "commune",
    "code_commune",
    "departement",
    "region",
    "telephone",
    "email",
    "site_web",
)
GATHERED = {"types_structure": "type_structure", "reseaux": "reseau", "sources": "source"}


def _ranked(records: pl.DataFrame, priorities: dict[str, int]) -> pl.DataFrame:
    filled = pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in SURVIVING)
    return records.with_columns(
        _priority=pl.col("source").replace_strict(priorities, default=999, return_dtype=pl.Int32),
        _filled=filled,
    ).sort(
        ["supplier_id", "_priority", "_filled", "record_key"],
        descending=[False, False, True, False],
    )


def golden_records(records: pl.DataFrame, priorities: dict[str, int]) -> pl.DataFrame:
    """One row per supplier_id from `records` (common schema + supplier_id + record_key)."""
    ranked = _ranked(records, priorities)
    picks = []
    for field in SURVIVING:
        picks += [
            pl.col(field).drop_nulls().first().alias(field),
            pl.col("record_key")
            .filter(pl.col(field).is_not_null())
            .first()
            .alias(f"_from_{field}"),
        ]
    has_point = pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null()
    picks += [
        pl.col("latitude").filter(has_point).first(),
        pl.col("longitude").filter(has_point).first(),
        pl.col("record_key").filter(has_point).first().alias("_from_coordonnees"),
    ]
    picks += [
        pl.col(origin).drop_nulls().unique().sort().str.join(", ").alias(name)
        for name, origin in GATHERED.items()
    ]
    picks.append(pl.len().alias("records"))
    golden = ranked.group_by("supplier_id", maintain_order=True).agg(picks)
    origin_columns = [c for c in golden.columns if c.startswith("_from_")]
    provenance = pl.struct(origin_columns).map_elements(
        lambda row: json.dumps(
            {name.removeprefix("_from_"): key for name, key in row.items() if key},
            ensure_ascii=False,
        ),
        return_dtype=pl.String,
    )
    return golden.with_columns(provenance=provenance).drop(origin_columns).sort("supplier_id")
