"""What the hub found on the partners' records, for every record at once: one row per finding.

A finding is a field the hub filled (`complete`: the partner had no value) or corrected
(`corrige`: the hub publishes another value, not only spelt otherwise), or an anomaly of the
record (see `partner_feeds`). Each finding has the columns of the return feed's CSV.
"""

import polars as pl

from ess_assets.match.golden import SURVIVING
from ess_assets.normalise.names import fold_series

# The fields survivorship chooses for a supplier, but those derived from another one (the
# SIREN from the SIRET, the department and region from the commune): a partner sets those.
DERIVED = ("siren", "departement", "region")
COMPARED = tuple(name for name in SURVIVING if name not in DERIVED)
ANOMALIES = ("siret_invalide", "siret_ferme", "doublon", "adresse_non_trouvee")
CONSTATS = ("complete", "corrige", *ANOMALIES)
COLUMNS = ("constat", "champ", "valeur_partenaire", "valeur_hub", "detail")
ROW = "_row"  # the record's position in `with_hub`'s frame
ORDER = "_order"  # the finding's position in its record: fields as COMPARED, then anomalies


def with_hub(records: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """`records` by source and source_record_id, each with `publie`, what the hub publishes of
    its supplier (`<field>_hub`) and the record each published value came from
    (`<field>_origine`, read from the supplier's `provenance`)."""
    origins = (
        pl.col("provenance")
        .replace("", None)
        .str.json_decode(pl.Struct({name: pl.String for name in COMPARED}))
    )
    hub = published.select(
        "supplier_id",
        *[pl.col(name).alias(f"{name}_hub") for name in COMPARED],
        *[origins.struct.field(name).alias(f"{name}_origine") for name in COMPARED],
        publie=pl.lit(True),
    )
    return (
        records.sort("source", "source_record_id")
        .join(hub, on="supplier_id", how="left", maintain_order="left")
        .with_columns(pl.col("publie").fill_null(False))
        .with_row_index(ROW)
    )


def _finding(
    order: int, constat: pl.Expr, champ: str | None, partner: pl.Expr, hub: pl.Expr, detail: pl.Expr
) -> list[pl.Expr]:
    """The columns of a finding, for `select` on rows of `with_hub`."""
    return [
        pl.col(ROW),
        pl.lit(order, pl.Int32).alias(ORDER),
        constat.alias("constat"),
        pl.lit(champ, pl.String).alias("champ"),
        partner.cast(pl.String).alias("valeur_partenaire"),
        hub.cast(pl.String).alias("valeur_hub"),
        detail.cast(pl.String).alias("detail"),
    ]


def hub_fields(rows: pl.DataFrame) -> pl.DataFrame:
    """The fields the hub filled or corrected: published, from another record than this one,
    and different from the record's value even once both are folded (`fold`)."""
    differing = pl.concat(
        rows.filter(
            pl.col(f"{name}_hub").is_not_null()
            & pl.col(f"{name}_origine").ne_missing(pl.col("record_key"))
            & pl.col(name).ne_missing(pl.col(f"{name}_hub"))
        ).select(
            _finding(
                order,
                pl.when(pl.col(name).is_null())
                .then(pl.lit("complete"))
                .otherwise(pl.lit("corrige")),
                name,
                pl.col(name),
                pl.col(f"{name}_hub"),
                pl.col(f"{name}_origine"),
            )
        )
        for order, name in enumerate(COMPARED)
    )
    spelt_otherwise = fold_series(differing["valeur_partenaire"]) == fold_series(
        differing["valeur_hub"]
    )
    return differing.filter(~spelt_otherwise.fill_null(False))


def _siblings(rows: pl.DataFrame) -> pl.DataFrame:
    """For each record of a supplier that its partner lists more than once, the other
    records' ids, sorted, as one text."""
    keys = rows.select(ROW, "source", "supplier_id", "source_record_id")
    others = keys.select("source", "supplier_id", other="source_record_id")
    pairs = keys.join(others, on=["source", "supplier_id"], nulls_equal=True)
    return (
        pairs.filter(pl.col("other") != pl.col("source_record_id"))
        .group_by(ROW)
        .agg(siblings=pl.col("other").sort().str.join(", "))
    )


def anomalies(rows: pl.DataFrame, closed: set[str]) -> pl.DataFrame:
    """What looks wrong in each record, as findings with a detail."""
    rows = rows.join(_siblings(rows), on=ROW, how="left")
    found = {
        "siret_invalide": (
            pl.col("siret_source").is_not_null() & ~pl.col("siret_valide").fill_null(False),
            pl.col("siret_source"),
        ),
        "siret_ferme": (
            pl.col("supplier_id").is_in(pl.Series(list(closed), dtype=pl.String)),
            pl.col("siret"),
        ),
        "doublon": (pl.col("siblings").is_not_null(), pl.col("siblings")),
        "adresse_non_trouvee": (pl.col("code_commune").is_null(), pl.col("commune")),
    }
    none = pl.lit(None, pl.String)
    return pl.concat(
        rows.filter(condition).select(
            _finding(len(COMPARED) + order, pl.lit(kind), None, none, none, detail)
        )
        for order, (kind, (condition, detail)) in enumerate(found.items())
    )


def findings(rows: pl.DataFrame, closed: set[str]) -> pl.DataFrame:
    """Every finding on `rows` (from `with_hub`), by record and then in the feed's order."""
    return pl.concat([hub_fields(rows), anomalies(rows, closed)]).sort(ROW, ORDER)
