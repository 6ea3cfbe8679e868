"""Publication rules on small real-shaped frames: fields, privacy, diffusion, change feed."""

from datetime import date

import polars as pl
import pytest

from ess_assets.publish.changes import change_rows, compare
from ess_assets.publish.fields import FIELDS, MissingColumnsError, published_columns
from ess_assets.publish.privacy import (
    PERSON_COLUMN,
    apply_diffusion_rule,
    personal_phones,
    privacy_findings,
    public_rows,
    strip_personal_contacts,
)
from ess_assets.settings import Settings


def _records() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "supplier_id": ["ess-1", "ess-2", "ess-3"],
            "nom": ["RESSOURCERIE DU PLATEAU", "JARDINS DE COCAGNE", "ATELIER VELO"],
            "email": ["marie.dupont@gmail.com", "contact@jardins-cocagne.fr", None],
            "telephone": ["+33612345678", "+33471767497", "+33478000000"],
        }
    )


def test_personal_email_and_its_phone_are_stripped_role_address_kept():
    stripped, removed = strip_personal_contacts(_records())
    assert removed == {"emails_removed": 1, "phones_removed": 1}
    rows = {row["supplier_id"]: row for row in stripped.iter_rows(named=True)}
    assert rows["ess-1"]["email"] is None and rows["ess-1"]["telephone"] is None
    assert rows["ess-2"]["email"] == "contact@jardins-cocagne.fr"
    assert rows["ess-2"]["telephone"] == "+33471767497"
    assert rows["ess-3"]["telephone"] == "+33478000000"


def test_partner_flag_marks_a_role_looking_address_personal():
    flagged = _records().with_columns(email_personnel=pl.Series([False, True, False]))
    stripped, removed = strip_personal_contacts(flagged)
    assert removed["emails_removed"] == 2
    assert stripped.get_column("email").drop_nulls().to_list() == []


def test_findings_on_a_file_with_personal_data():
    published = pl.DataFrame(
        {
            "supplier_id": ["ess-1", "ess-2"],
            "email": ["marie.dupont@gmail.com", "contact@jardins-cocagne.fr"],
            "telephone": ["+33612345678", "+33471767497"],
            "site_web": ["écrire à jean.martin@orange.fr", None],
            "adresse": ["3 rue des Lilas", None],
            "latitude": [45.7, None],
            "contact_nom": ["Marie Dupont", None],
        }
    )
    findings = privacy_findings(published, personal_phones(_records()), {"ess-1"})
    assert findings == {
        "personal_emails": ["marie.dupont@gmail.com"],
        "personal_emails_in_other_columns": ["jean.martin@orange.fr"],
        "phones_of_personal_emails": ["+33612345678"],
        "located_diffusion_partielle": ["ess-1"],
        "undeclared_columns": ["contact_nom"],
        "person_name_columns": ["contact_nom"],
    }


def test_no_declared_field_names_a_person():
    assert not [field.name for field in FIELDS if PERSON_COLUMN.search(field.name)]


def test_diffusion_partielle_hides_address_and_coordinates_only_when_known():
    frame = pl.DataFrame(
        {
            "supplier_id": ["ess-1", "ess-2"],
            "nom": ["DUPONT MARIE", "SCOP BOIS"],
            "adresse": ["3 rue des Lilas", "1 place du Marché"],
            "commune": ["Lyon", "Vienne"],
            "latitude": [45.7, 45.5],
            "longitude": [4.8, 4.9],
        }
    )
    assert apply_diffusion_rule(frame)[0].equals(frame)
    partial = frame.with_columns(
        statut_diffusion=pl.Series(["P", "O"]),
        statut_diffusion_unite_legale=pl.Series(["P", "O"]),
        categorie_juridique=pl.Series(["1000", "5458"]),
    )
    hidden, removed = apply_diffusion_rule(partial)
    assert removed == {
        "locations_removed_diffusion_partielle": 1,
        "names_removed_diffusion_partielle": 1,
    }
    first, second = hidden.iter_rows(named=True)
    assert (first["adresse"], first["latitude"], first["nom"]) == (None, None, None)
    assert first["commune"] == "Lyon"
    assert second["adresse"] == "1 place du Marché" and second["nom"] == "SCOP BOIS"


def _golden(**extra) -> pl.DataFrame:
    columns = {f.name: [None] for f in FIELDS if not f.optional}
    columns |= {"supplier_id": ["ess-1"], "nom": ["SCOP BOIS"], "sources": ["urscop"]}
    return pl.DataFrame(columns | extra, schema_overrides={"latitude": pl.Float64})


def test_optional_fields_are_published_when_present_and_lists_become_text():
    assert "famille_ess" not in published_columns(_golden()).columns
    enriched = _golden(agrements=[["ESUS", "SIAE"]], famille_ess=["cooperative"])
    published = published_columns(enriched)
    assert published.get_column("agrements").to_list() == ["ESUS, SIAE"]
    rows, removed = public_rows(enriched.with_columns(statut_diffusion=pl.lit("O")))
    assert "statut_diffusion" not in rows.columns
    assert removed["columns_not_published"] == ["statut_diffusion"]


def test_missing_required_field_stops_publication():
    with pytest.raises(MissingColumnsError, match="sources"):
        published_columns(_golden().drop("sources"))


def test_change_feed_lists_added_removed_and_changed_fields():
    before = pl.DataFrame({"supplier_id": ["a", "b"], "nom": ["A", "B"], "email": ["x@a.fr", None]})
    after = pl.DataFrame({"supplier_id": ["b", "c"], "nom": ["B", "C"], "email": ["y@b.fr", None]})
    feed = compare(before, after.with_columns(site_web=pl.lit(None, pl.String)))
    assert [row["supplier_id"] for row in feed["added"]] == ["c"]
    assert feed["removed"] == [{"supplier_id": "a", "nom": "A"}]
    assert feed["changed"] == [
        {"supplier_id": "b", "nom": "B", "fields": {"email": {"old": None, "new": "y@b.fr"}}}
    ]
    assert feed["fields_added"] == ["site_web"]
    rows = change_rows(feed, "run-1", date(2026, 1, 5))
    assert rows.get_column("change").to_list() == ["added", "removed", "changed"]


@pytest.mark.parametrize(("text", "share"), [(None, 0.10), ("0.2", 0.2), ("5%", 0.05)])
def test_max_drop_setting(text, share):
    env = {"ESS_MAX_DROP": text} if text else {}
    assert Settings.from_env(env).max_drop == pytest.approx(share)


def test_max_drop_setting_rejects_nonsense():
    with pytest.raises(ValueError, match="ESS_MAX_DROP"):
        Settings.from_env({"ESS_MAX_DROP": "150%"})


def test_first_change_feed_names_the_suppliers_without_copying_the_export():
    first = pl.DataFrame({"supplier_id": ["b", "a"], "nom": ["B", "A"], "email": ["x@b.fr", None]})
    feed = compare(first.clear(), first)
    assert feed["added"] == [{"supplier_id": "a", "nom": "A"}, {"supplier_id": "b", "nom": "B"}]
    assert feed["changed"] == [] and feed["removed"] == []
