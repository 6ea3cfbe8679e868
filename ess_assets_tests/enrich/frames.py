"""Frames shared by the enrichment tests."""

import polars as pl

# The SIRENE reference when no supplier has a SIRENE establishment: qualification then
# relies on the partners' own fields.
NO_SIRENE = pl.DataFrame(
    schema={
        "supplier_id": pl.String,
        "categorie_juridique": pl.String,
        "economie_sociale_solidaire": pl.Boolean,
        "naf": pl.String,
    }
)
