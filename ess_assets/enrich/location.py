"""Final coordinates of each supplier, with the precision a buyer can trust them to.

Precision vocabulary: 'source' (given by the partner and agreeing), 'housenumber' and 'street'
(geocoded and accepted), 'commune' (the commune's town hall, the offline fallback), null when
nothing places the supplier. A partner's coordinates "agree" when they lie within
`max_distance_km` of the accepted geocoded point or, when there is none (offline run, rejected
answer), within `commune_radius_km` of the town hall of the commune the partner gave: that
catches swapped latitude/longitude and points in another department, not a wrong street.
"""

from pathlib import Path

import polars as pl

BUNDLED_COMMUNES = Path(__file__).resolve().parent.parent / "data" / "reference" / "communes.csv"
EARTH_RADIUS_KM = 6371.0


def load_town_halls(path: Path | str = BUNDLED_COMMUNES) -> pl.DataFrame:
    """code_commune, latitude_mairie, longitude_mairie of every commune and district, one row
    per code. A former commune merged into a new one (type COMD) shares the new commune's code
    and has no town hall of its own: the row with coordinates is kept. A district without
    coordinates (Marseille's) takes its parent commune's town hall."""
    communes = pl.read_csv(
        path,
        columns=["code_insee", "code_insee_parent", "latitude_mairie", "longitude_mairie"],
        schema_overrides={"code_insee": pl.String, "code_insee_parent": pl.String},
    )
    parents = communes.select(
        pl.col("code_insee").alias("code_insee_parent"),
        pl.col("latitude_mairie").alias("_parent_latitude"),
        pl.col("longitude_mairie").alias("_parent_longitude"),
    ).unique("code_insee_parent", keep="first")
    without_own = pl.col("latitude_mairie").is_null()
    return (
        communes.sort("latitude_mairie", nulls_last=True)
        .unique("code_insee", keep="first")
        .join(parents.drop_nulls(), on="code_insee_parent", how="left")
        .select(
            pl.col("code_insee").alias("code_commune"),
            pl.when(without_own)
            .then(pl.col("_parent_latitude"))
            .otherwise(pl.col("latitude_mairie"))
            .alias("latitude_mairie"),
            pl.when(without_own)
            .then(pl.col("_parent_longitude"))
            .otherwise(pl.col("longitude_mairie"))
            .alias("longitude_mairie"),
        )
        .sort("code_commune")
    )


def distance_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Great-circle distance (haversine), in kilometres; null when a coordinate is."""
    phi1, phi2 = lat1.radians(), lat2.radians()
    half_dphi = (lat2 - lat1).radians() / 2
    half_dlambda = (lon2 - lon1).radians() / 2
    a = half_dphi.sin() ** 2 + phi1.cos() * phi2.cos() * half_dlambda.sin() ** 2
    return 2 * EARTH_RADIUS_KM * a.sqrt().arcsin()


def commune_fallback(frame: pl.DataFrame, town_halls: pl.DataFrame) -> pl.DataFrame:
    """Rows of `frame` without `latitude` get their commune's town hall, precision 'commune'.

    `frame` needs code_commune, latitude, longitude and precision (created null if absent).
    """
    if "precision" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("precision"))
    joined = frame.join(town_halls, on="code_commune", how="left")
    missing = pl.col("latitude").is_null() & pl.col("latitude_mairie").is_not_null()
    return joined.with_columns(
        pl.when(missing)
        .then(pl.col("latitude_mairie"))
        .otherwise(pl.col("latitude"))
        .alias("latitude"),
        pl.when(missing)
        .then(pl.col("longitude_mairie"))
        .otherwise(pl.col("longitude"))
        .alias("longitude"),
        pl.when(missing).then(pl.lit("commune")).otherwise(pl.col("precision")).alias("precision"),
    ).drop("latitude_mairie", "longitude_mairie")


def settle_coordinates(
    frame: pl.DataFrame,
    town_halls: pl.DataFrame,
    max_distance_km: float = 0.5,
    commune_radius_km: float = 15.0,
) -> pl.DataFrame:
    """latitude, longitude and precision from the partner's and the geocoder's coordinates.

    `frame` has code_commune, latitude_source, longitude_source (partner) and latitude_geocode,
    longitude_geocode, precision_geocode (accepted geocoder answer, null when none).
    Order: agreeing partner point, accepted geocoder point, town hall, nothing.
    """
    with_hall = frame.join(town_halls, on="code_commune", how="left")
    source = (pl.col("latitude_source"), pl.col("longitude_source"))
    to_geocode = distance_km(*source, pl.col("latitude_geocode"), pl.col("longitude_geocode"))
    to_hall = distance_km(*source, pl.col("latitude_mairie"), pl.col("longitude_mairie"))
    agrees = (
        pl.when(pl.col("latitude_geocode").is_not_null())
        .then(to_geocode <= max_distance_km)
        .otherwise(to_hall <= commune_radius_km)
        .fill_null(False)
    )
    use_source = pl.col("latitude_source").is_not_null() & agrees
    settled = with_hall.with_columns(
        pl.when(use_source)
        .then(pl.col("latitude_source"))
        .otherwise(pl.col("latitude_geocode"))
        .alias("latitude"),
        pl.when(use_source)
        .then(pl.col("longitude_source"))
        .otherwise(pl.col("longitude_geocode"))
        .alias("longitude"),
        pl.when(use_source)
        .then(pl.lit("source"))
        .otherwise(pl.col("precision_geocode"))
        .alias("precision"),
    ).drop("latitude_mairie", "longitude_mairie")
    return commune_fallback(settled, town_halls)
