"""Privacy rules: what of a record may be published.

A record whose e-mail is personal (see `contact.is_personal_email`: anything but a role
address such as contact@ or accueil@) loses its e-mail and its phone, which then reaches a
person too. Nothing is removed from the staging tables: only what is published is filtered.
"""

import polars as pl

from ess_assets.normalise.contact import is_personal_email


def strip_personal_contacts(records: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """`records` without personal e-mails and their phones, and how many of each were removed."""
    emails = records.get_column("email").drop_nulls().unique().to_list()
    personal = [email for email in emails if is_personal_email(email)]
    is_personal = pl.col("email").is_in(pl.lit(personal, dtype=pl.List(pl.String)).explode())
    flagged = records.with_columns(_personal=is_personal.fill_null(False))
    removed = {
        "emails_removed": flagged.filter("_personal").height,
        "phones_removed": flagged.filter(
            pl.col("_personal") & pl.col("telephone").is_not_null()
        ).height,
    }
    stripped = flagged.with_columns(
        email=pl.when("_personal").then(None).otherwise(pl.col("email")),
        telephone=pl.when("_personal").then(None).otherwise(pl.col("telephone")),
    ).drop("_personal")
    return stripped, removed
