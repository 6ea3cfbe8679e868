"""The benchmark lists as matcher input: ASP list of insertion structures and Marché de
l'inclusion structures, one region set at a time, with the SIRET kept aside as ground truth.
"""

import json
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
REGIONS = {
    "auvergne-rhone-alpes": (
        ROOT / "ess_assets/data/iae/liste_siae_asp_2019-07.csv",
        ROOT / "ess_assets/data/marche_inclusion/structures_2021.json",
    ),
    "nord-est": (
        ROOT / "benchmarks/data/liste_siae_asp_2019-07_nord_est.csv",
        ROOT / "benchmarks/data/marche_inclusion_structures_2021_nord_est.json",
    ),
}


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.String).str.strip_chars().replace("", None).name.keep())


def load_asp(path: Path) -> pl.DataFrame:
    """The ASP export (';'-separated, one row per insertion scheme) as matcher records."""
    asp = pl.read_csv(path, separator=";", infer_schema=False).with_row_index("line", offset=2)
    return _blank_to_null(
        asp.select(
            record_id=pl.format("asp:{}", pl.col("line")),
            source=pl.lit("asp"),
            nom=pl.col("DENOMINATION_SOCIALE"),
            enseigne=pl.lit(None, pl.String),
            truth=pl.col("SIRET").str.replace_all(r"\s", ""),
            adresse=pl.concat_str(
                [pl.col("NUM_RUE").fill_null(""), pl.col("NOM_RUE").fill_null("")], separator=" "
            ),
            code_postal=pl.col("CODE_POSTAL"),
            commune=pl.col("COMMUNE"),
            type_structure=pl.col("MESURE"),
            forme_juridique=pl.col("NATURE_JURIDIQUE"),
            telephone=pl.col("TELEPHONE"),
            email=pl.col("MAIL_SIAE"),
            site_web=pl.lit(None, pl.String),
        )
    )


def load_marche(path: Path) -> pl.DataFrame:
    """The Marché de l'inclusion JSON export as matcher records."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    marche = pl.DataFrame(
        [
            {
                "record_id": f"marche:{row['id']}",
                "nom": row.get("name"),
                "enseigne": row.get("brand"),
                "truth": "".join((row.get("siret") or "").split()),
                "adresse": row.get("address"),
                "code_postal": row.get("post_code"),
                "commune": row.get("city"),
                "type_structure": row.get("kind"),
                "forme_juridique": row.get("legal_form"),
                "site_web": row.get("website"),
            }
            for row in rows
        ],
        schema={
            name: pl.String
            for name in (
                "record_id",
                "nom",
                "enseigne",
                "truth",
                "adresse",
                "code_postal",
                "commune",
                "type_structure",
                "forme_juridique",
                "site_web",
            )
        },
    )
    return _blank_to_null(
        marche.with_columns(
            source=pl.lit("marche"),
            telephone=pl.lit(None, pl.String),
            email=pl.lit(None, pl.String),
        )
    )


def load_region(region: str) -> pl.DataFrame:
    """Both lists of a region, SIRET hidden (null) and kept in `truth`."""
    asp_path, marche_path = REGIONS[region]
    frames = [load_asp(asp_path), load_marche(marche_path)]
    columns = frames[0].columns
    return pl.concat([f.select(columns) for f in frames]).with_columns(
        siret=pl.lit(None, pl.String)
    )
