"""Privacy rules: what of a record may be published, and the findings of the check on the files.

1. A record whose e-mail is personal (see `contact.is_personal_email`: anything but a role
   address such as contact@ or accueil@), or that a partner flags as personal
   (`email_personnel`), loses its e-mail and its phone, which then reaches a person too.
2. A SIRENE establishment in diffusion partielle ('P', art. R123-232-1 code de commerce) loses
   its address and coordinates; a natural person in diffusion partielle loses its name.
   The rule applies when the supplier table has a diffusion status column, and does nothing
   otherwise.
3. No contact person's name: only the declared fields (`fields.FIELDS`) are published, and
   none of them may name a person.
Nothing is removed from the staging tables: only what is published is filtered.
"""

import re

import polars as pl
import polars.selectors as cs

from ess_assets.normalise.contact import is_personal_email
from ess_assets.publish.fields import FIELD_NAMES, published_columns

PARTIAL = "P"
ESTABLISHMENT_STATUS = ("statut_diffusion", "statut_diffusion_etablissement")
UNIT_STATUS = "statut_diffusion_unite_legale"
LEGAL_CATEGORY = "categorie_juridique"
NATURAL_PERSON = "1000"  # catégorie juridique of an entrepreneur individuel
LOCATION_FIELDS = ("adresse", "latitude", "longitude", "precision_coordonnees")
PERSONAL_FLAG = "email_personnel"  # a partner's own "this address is personal" column
# What personal_phones reads of the source records.
PHONE_EVIDENCE = ("email", "telephone", PERSONAL_FLAG)
PERSON_COLUMN = re.compile(
    r"contact|prenom|civilite|responsable|dirigeant|interlocuteur|referent|representant|gerant"
)
_EMAIL_IN_TEXT = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # Rust regex syntax (polars), as Python's


def _personal(records: pl.DataFrame) -> pl.Expr:
    emails = records.get_column("email").drop_nulls().unique().to_list()
    personal = [email for email in emails if is_personal_email(email)]
    flagged = pl.col("email").is_in(pl.lit(personal, dtype=pl.List(pl.String)).explode())
    if PERSONAL_FLAG in records.columns:
        flagged = flagged | (pl.col(PERSONAL_FLAG).fill_null(False) & pl.col("email").is_not_null())
    return flagged.fill_null(False)


def strip_personal_contacts(records: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """`records` without personal e-mails and their phones, and how many of each were removed."""
    flagged = records.with_columns(_personal=_personal(records))
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


def partial_establishments(frame: pl.DataFrame) -> pl.Expr:
    """True for rows in diffusion partielle; always False without a diffusion status column."""
    statuses = [pl.col(c).fill_null("") == PARTIAL for c in ESTABLISHMENT_STATUS if c in frame]
    return pl.any_horizontal(statuses) if statuses else pl.lit(False)


def _partial_persons(frame: pl.DataFrame) -> pl.Expr:
    if UNIT_STATUS not in frame.columns:
        return pl.lit(False)
    partial = pl.col(UNIT_STATUS).fill_null("") == PARTIAL
    if LEGAL_CATEGORY in frame.columns:
        partial = partial & (pl.col(LEGAL_CATEGORY).fill_null(NATURAL_PERSON) == NATURAL_PERSON)
    return partial


def apply_diffusion_rule(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """Null the address and coordinates of 'P' establishments and the name of 'P' persons."""
    flagged = frame.with_columns(
        _place=partial_establishments(frame), _person=_partial_persons(frame)
    )
    located = pl.any_horizontal(pl.col(c).is_not_null() for c in LOCATION_FIELDS if c in frame)
    removed = {
        "locations_removed_diffusion_partielle": flagged.filter("_place", located).height,
        "names_removed_diffusion_partielle": flagged.filter(
            "_person", pl.col("nom").is_not_null()
        ).height,
    }
    hidden = flagged.with_columns(
        [
            pl.when("_place").then(None).otherwise(pl.col(c)).alias(c)
            for c in LOCATION_FIELDS
            if c in frame
        ]
        + [pl.when("_person").then(None).otherwise(pl.col("nom")).alias("nom")]
    ).drop("_place", "_person")
    return hidden, removed


def public_rows(suppliers: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int | list[str]]]:
    """The published rows of `suppliers`, and what the privacy rules removed from them."""
    stripped, contacts = strip_personal_contacts(suppliers)
    hidden, diffusion = apply_diffusion_rule(stripped)
    left_out = sorted(set(suppliers.columns) - set(FIELD_NAMES))
    return published_columns(hidden), {
        **contacts,
        **diffusion,
        "columns_not_published": left_out,
    }


def personal_phones(records: pl.DataFrame) -> set[str]:
    """Phones that reach a person: every source record carrying them has a personal e-mail."""
    flagged = records.filter(pl.col("telephone").is_not_null()).with_columns(
        _personal=_personal(records)
    )
    only_personal = flagged.group_by("telephone").agg(pl.col("_personal").all())
    return set(only_personal.filter("_personal").get_column("telephone").to_list())


def privacy_findings(
    published: pl.DataFrame, phones: set[str], partial_ids: set[str]
) -> dict[str, list[str]]:
    """What in a published table breaks a privacy rule, by rule (empty lists: nothing)."""
    emails = published.get_column("email").drop_nulls().to_list() if "email" in published else []
    texts = (
        published.select(cs.string() - cs.by_name("email", require_all=False))
        .unpivot()
        .get_column("value")
    )
    embedded = set(
        texts.drop_nulls().str.extract_all(_EMAIL_IN_TEXT).explode().drop_nulls().unique()
    )
    located = published.filter(
        pl.col("supplier_id").is_in(sorted(partial_ids))
        & pl.any_horizontal(pl.col(c).is_not_null() for c in LOCATION_FIELDS if c in published)
    )
    telephones = (
        set(published.get_column("telephone").drop_nulls().to_list())
        if "telephone" in published
        else set()
    )
    return {
        "personal_emails": sorted({email for email in emails if is_personal_email(email)}),
        "personal_emails_in_other_columns": sorted(e for e in embedded if is_personal_email(e)),
        "phones_of_personal_emails": sorted(telephones & phones),
        "located_diffusion_partielle": sorted(located.get_column("supplier_id").to_list()),
        **column_findings(published.columns),
    }


def column_findings(columns: list[str]) -> dict[str, list[str]]:
    """Columns of a published file that are not declared, or that name a contact person."""
    return {
        "undeclared_columns": sorted(set(columns) - set(FIELD_NAMES)),
        "person_name_columns": [c for c in columns if PERSON_COLUMN.search(c)],
    }
