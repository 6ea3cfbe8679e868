"""Enrichment: SIRENE reference, geocoding and ESS qualification, as plain functions."""
