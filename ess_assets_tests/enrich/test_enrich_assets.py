"""The enrichment assets end to end: the default (offline) run, and runs with both outside
services configured, answered by `responses` from recorded shapes; the second of those runs,
on unchanged inputs, must not call anything."""

import csv
import io
import json
from email.parser import BytesParser
from pathlib import Path

import pytest
import responses

from ess_assets.settings import BUNDLED_DATA_DIR, Settings
from ess_assets_tests.conftest import make_settings, query, run_day

RECORDED = Path(__file__).resolve().parent.parent / "recorded"
BAN = "https://ban.test/geocodage"
RECHERCHE = "https://recherche.test"


def _sent_csv(request) -> str:
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser().parsebytes(head + request.body)
    for part in message.get_payload():
        if part.get_param("name", header="content-disposition") == "data":
            return part.get_payload(decode=True).decode("utf-8")
    raise AssertionError("no data part in the batch request")


def ban_batch(request):
    """Each query row answered with the recorded row of the same address, else not-found."""
    recorded = (RECORDED / "ban" / "batch_success.csv").read_text(encoding="utf-8")
    rows = {row["adresse"]: row for row in csv.DictReader(io.StringIO(recorded))}
    header = next(csv.reader(io.StringIO(recorded)))
    out = io.StringIO()
    writer = csv.DictWriter(out, header)
    writer.writeheader()
    for sent in csv.DictReader(io.StringIO(_sent_csv(request))):
        answer = rows.get(sent["adresse"], {"result_status": "not-found"})
        writer.writerow({**dict.fromkeys(header, ""), **answer, **sent})
    return 200, {"Content-Type": "text/csv; charset=utf-8"}, out.getvalue()


def recherche(request):
    """A recorded answer when one exists for the term, else the API's empty answer."""
    term = request.params["q"]
    path = RECORDED / "recherche_entreprises" / f"search-{term}.json"
    if path.exists():
        answer = json.loads(path.read_text(encoding="utf-8"))["result"]
    else:
        answer = {"results": [], "total_results": 0, "page": 1, "per_page": 10}
    return 200, {"Content-Type": "application/json"}, json.dumps(answer)


def online_settings(root: Path) -> Settings:
    base = make_settings(root)
    env = {
        **base.env,
        "ESS_BAN_URL": BAN,
        "ESS_RECHERCHE_ENTREPRISES_URL": RECHERCHE,
        "ESS_RECHERCHE_PER_SECOND": "10000",
    }
    return Settings.from_env(env)


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("offline"), BUNDLED_DATA_DIR)
    with responses.RequestsMock() as mock:  # any call to the outside fails the run
        results = run_day(settings)
        assert len(mock.calls) == 0
    assert all(result.success for result in results.values())
    return settings


@pytest.fixture(scope="module")
def online(tmp_path_factory) -> tuple[Settings, list[int]]:
    """Two daily runs with both services configured: (settings, HTTP calls of each run)."""
    settings = online_settings(tmp_path_factory.mktemp("online"))
    calls = []
    for _ in range(2):
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            mock.add_callback(responses.POST, f"{BAN}/search/csv/", callback=ban_batch)
            mock.add_callback(responses.GET, f"{RECHERCHE}/search", callback=recherche)
            results = run_day(settings)
            calls.append(len(mock.calls))
        assert all(result.success for result in results.values())
    return settings, calls


def test_default_run_qualifies_and_places_every_supplier(offline):
    rows = query(
        offline,
        "SELECT count(*), count(famille_ess), count(famille_ess_raison), "
        "count(precision_coordonnees), count(marches_reserves), count(cpv_divisions), "
        "count(agrements) FROM marts.suppliers",
    )[0]
    assert rows[0] == 471
    assert set(rows) == {rows[0]}
    precisions = dict(
        query(offline, "SELECT precision_coordonnees, count(*) FROM marts.suppliers GROUP BY 1")
    )
    assert set(precisions) <= {"source", "commune"}  # offline: no geocoded point
    unknown = query(
        offline,
        "SELECT count(*) FROM marts.suppliers WHERE famille_ess = 'inconnue' "
        "AND (famille_ess_raison IS NULL OR famille_ess_raison = '')",
    )
    assert unknown == [(0,)]


def test_default_run_writes_a_gap_report_that_never_loses(offline):
    report = query(offline, "SELECT champ, source, avant, apres FROM enrich.gap_report")
    assert {row[1] for row in report} >= {"toutes", "asp_siae", "marche_inclusion"}
    assert all(avant <= apres for _, _, avant, apres in report)
    overall = {
        champ: (avant, apres) for champ, source, avant, apres in report if source == "toutes"
    }
    assert overall["precision_coordonnees"] == (0.0, 1.0)
    assert overall["latitude"][1] > overall["latitude"][0]


def test_default_run_leaves_bundled_gaps_null_and_finds_no_siret(offline):
    origins = dict(query(offline, "SELECT origine_sirene, count(*) FROM enrich.sirene GROUP BY 1"))
    assert origins == {None: 465, "stock": 6}  # the extract covers 6 suppliers' SIRETs
    named = query(offline, "SELECT count(denomination), count(actif) FROM enrich.sirene")
    assert named == [(0, 0)]  # no legal-unit column, no state in the bundled extract
    assert query(offline, "SELECT count(*) FROM match.siret_candidates") == [(0,)]


def test_online_run_geocodes_and_a_second_run_calls_nothing(online):
    settings, calls = online
    sent = query(settings, "SELECT count(*) FROM enrich.geocode_cache")[0][0]
    asked = query(settings, "SELECT count(*) FROM enrich.recherche_cache")[0][0]
    assert calls[0] == 1 + asked  # one batch of addresses, one lookup per SIRET
    assert sent > 400 and asked == 471
    assert calls[1] == 0
    geocoded = query(
        settings,
        "SELECT supplier_id, geocode_status FROM enrich.locations WHERE geocode_status = 'ok'",
    )
    assert {supplier for supplier, _ in geocoded} >= {"ess-84e52eef2f5b", "ess-4922dde719f4"}
    lyon = query(
        settings,
        "SELECT precision_coordonnees FROM marts.suppliers WHERE supplier_id = 'ess-87b6ec90476a'",
    )
    assert lyon[0][0] in ("source", "housenumber")
