"""The BAN batch geocoder: recorded answers, judging, Lyon districts, cache, failures."""

import csv
import io
from email.parser import BytesParser

import duckdb
import polars as pl
import pytest

from ess_assets.enrich.ban import BanError, BanGeocoder
from ess_assets.enrich.geocode import geocode_batch, geocode_one, judge
from ess_assets.http import make_session

BASE = "https://ban.test/geocodage"
CSV_URL = f"{BASE}/search/csv/"


def geocoder(batch_size: int = 1000) -> BanGeocoder:
    return BanGeocoder(BASE, session=make_session(retries=2, backoff=0), batch_size=batch_size)


def form_fields(request) -> dict[str, list]:
    """The multipart fields of a recorded request: name -> values (text or file bytes)."""
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser().parsebytes(head + request.body)
    fields: dict[str, list] = {}
    for part in message.get_payload():
        name = part.get_param("name", header="content-disposition")
        fields.setdefault(name, []).append(part.get_payload(decode=True))
    return fields


def fake_server(recorded_csv: str):
    """A callback answering each query row with the recorded row of the same address."""
    recorded_rows = {row["adresse"]: row for row in csv.DictReader(io.StringIO(recorded_csv))}
    header = next(csv.reader(io.StringIO(recorded_csv)))

    def answer(request):
        sent = form_fields(request)["data"][0].decode("utf-8")
        out = io.StringIO()
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        for query in csv.DictReader(io.StringIO(sent)):
            row = recorded_rows.get(query["adresse"], {"result_status": "not-found"})
            writer.writerow({**dict.fromkeys(header, ""), **row, **query})
        return 200, {"Content-Type": "text/csv; charset=utf-8"}, out.getvalue()

    return answer


ROWS = pl.DataFrame(
    {
        "id": ["ambérieu", "lyon", "centre", "lieu-dit", "coubon", "vide"],
        "adresse": [
            "62 Avenue DU GEN SARRAIL",
            "114 Cours DU DOCTEUR LONG",
            " CENTRE SOCIAL",
            "Lieu-dit LA COURTASSE",
            "Route DE COUBON - BP 12",
            "BP 20301",
        ],
        "code_commune": ["01004", "69123", "38412", "07090", "43041", "01004"],
    }
)


@pytest.fixture
def ban(mocked, recorded):
    mocked.add_callback("POST", CSV_URL, callback=fake_server(recorded("ban", "batch_success.csv")))
    return mocked


def test_batch_judges_recorded_answers(ban):
    result = geocode_batch(ROWS, geocoder()).sort("id")
    by_id = {row["id"]: row for row in result.iter_rows(named=True)}
    assert by_id["ambérieu"]["status"] == "ok"
    assert by_id["ambérieu"]["precision"] == "housenumber"
    assert by_id["ambérieu"]["latitude"] == pytest.approx(45.958402)
    assert by_id["lyon"]["status"] == "ok"  # district code 69383 agrees with 69123
    assert by_id["lyon"]["result_citycode"] == "69383"
    assert by_id["centre"]["status"] == "municipality"
    assert by_id["centre"]["latitude"] is None
    assert by_id["lieu-dit"]["status"] == "imprecise"
    assert by_id["coubon"]["precision"] == "street"
    assert by_id["vide"]["status"] == "empty_address"
    assert result.columns == [
        "id", "latitude", "longitude", "score", "result_type", "result_label",
        "result_citycode", "status", "precision",
    ]  # fmt: skip


def test_request_is_utf8_csv_filtered_by_commune(ban):
    geocode_batch(ROWS, geocoder())
    fields = form_fields(ban.calls[0].request)
    assert fields["columns"] == [b"adresse", b"ville"]
    assert fields["citycode"] == [b"code_commune"]
    sent = pl.read_csv(io.BytesIO(fields["data"][0]), infer_schema=False)
    assert sent.columns == ["cle", "adresse", "ville", "code_commune"]
    lyon = sent.filter(pl.col("adresse") == "114 Cours DU DOCTEUR LONG").row(0, named=True)
    assert (lyon["ville"], lyon["code_commune"] or "") == ("Lyon", "")  # no 69123 filter
    assert "Route DE COUBON" in sent["adresse"].to_list()  # BP removed before sending
    assert sent.height == 5  # the emptied address is not sent


def test_batches_hold_at_most_batch_size_rows(ban):
    geocode_batch(ROWS, geocoder(batch_size=2))
    assert len(ban.calls) == 3


def test_second_run_makes_no_call(ban):
    con = duckdb.connect()
    first = geocode_batch(ROWS, geocoder(), con)
    calls = len(ban.calls)
    second = geocode_batch(ROWS, geocoder(), con)
    assert len(ban.calls) == calls == 1
    assert second.sort("id").equals(first.sort("id"))
    stricter = geocode_batch(ROWS, geocoder(), con, threshold=0.9).sort("id")
    assert len(ban.calls) == 1  # judging again needs no call either
    assert stricter.filter(pl.col("id") == "ambérieu")["status"].to_list() == ["low_score"]


def test_offline_uses_the_cache_only(ban):
    result = geocode_batch(ROWS, None, duckdb.connect())
    assert len(ban.calls) == 0
    assert set(result["status"]) == {"not_geocoded", "empty_address"}


def test_not_found_wrong_commune_and_low_score(mocked, recorded):
    mocked.add_callback(
        "POST", CSV_URL, callback=fake_server(recorded("ban", "batch_not_found.csv"))
    )
    rows = pl.DataFrame(
        {
            "id": ["a", "b", "c"],
            "adresse": ["Espace BOUDEVILLE", "24 Avenue JOANNES MASSET", "12 rue des Glycines"],
            "code_commune": ["03102", "69123", "01376"],
        }
    )
    result = geocode_batch(rows, geocoder()).sort("id")
    assert result["status"].to_list() == ["not_found", "wrong_commune", "low_score"]
    assert result["latitude"].null_count() == 3


def test_429_then_success(mocked, recorded):
    over = recorded("ban", "batch_429.json")
    mocked.post(CSV_URL, status=over["status"], headers=over["headers"], json=over["body"])
    mocked.add_callback("POST", CSV_URL, callback=fake_server(recorded("ban", "batch_success.csv")))
    result = geocode_batch(ROWS, geocoder())
    assert len(mocked.calls) == 2
    assert result.filter(pl.col("status") == "ok").height == 3


def test_500_raises_naming_the_url_and_caches_nothing(mocked, recorded):
    error = recorded("ban", "batch_500.json")
    mocked.post(CSV_URL, status=error["status"], headers=error["headers"], json=error["body"])
    con = duckdb.connect()
    with pytest.raises(BanError, match=r"ban\.test/geocodage/search/csv/"):
        geocode_batch(ROWS, geocoder(), con)
    assert con.sql("SELECT count(*) FROM enrich.geocode_cache").fetchall() == [(0,)]


def test_district_codes_agree_both_ways():
    answers = pl.DataFrame(
        {
            "code_commune": ["69123", "69383", "69381", "01004", "49018"],
            "result_citycode": ["69387", "69123", "69383", "01005", "49126"],
            "result_oldcitycode": [None, None, None, None, "49018"],
        }
    ).with_columns(
        result_status=pl.lit("ok"),
        result_type=pl.lit("housenumber"),
        result_score=pl.lit(0.9),
        latitude=pl.lit(45.0),
        longitude=pl.lit(4.0),
    )
    assert judge(answers)["status"].to_list() == ["ok", "ok", "ok", "wrong_commune", "ok"]


def test_geocode_one_reads_lon_lat_from_the_geometry(mocked, recorded):
    mocked.get(f"{BASE}/search/", json=recorded("ban", "search_response.json"))
    result = geocode_one(geocoder(), "rue Jules Ferry", "64373")
    assert result["longitude"] == pytest.approx(-0.356241)  # not x = 427477.93 (Lambert-93)
    assert result["latitude"] == pytest.approx(43.277531)
    assert (result["status"], result["precision"]) == ("ok", "street")
    assert mocked.calls[0].request.params["citycode"] == "64373"
