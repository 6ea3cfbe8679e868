"""Client of the national address base geocoder (BAN, Géoplateforme): batch CSV and single search.

Batch: `POST {base}/search/csv/` with the CSV as multipart `data`, `columns=` naming the columns
to read the query from (joined with a space) and `citycode=` the column of INSEE commune codes
to filter on. The answer is the same CSV with `latitude, longitude, result_score, result_type,
result_label, result_citycode, result_oldcitycode, result_status...` appended.
Single: `GET {base}/search/?q=...&citycode=...`; its `x`/`y` are Lambert-93, so longitude and
latitude are read from `geometry.coordinates` instead.
The CSV is always sent as UTF-8 (very short files were seen mis-detected as another encoding).
"""

import io

import polars as pl
import requests

from ess_assets.http import make_session

DEFAULT_BASE_URL = "https://data.geopf.fr/geocodage"
QUERY_COLUMNS = ("cle", "adresse", "ville", "code_commune")
ANSWER_COLUMNS = {
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "result_score": pl.Float64,
    "result_type": pl.String,
    "result_label": pl.String,
    "result_citycode": pl.String,
    "result_oldcitycode": pl.String,
    "result_status": pl.String,
}


class BanError(RuntimeError):
    """The geocoder could not be read: the message names the URL and what went wrong."""


class BanGeocoder:
    """Talks to the BAN geocoder; `base_url` and `session` come from the caller."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        session: requests.Session | None = None,
        batch_size: int = 1000,
        timeout: float = 120.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or make_session()
        self.batch_size = batch_size
        self.timeout = timeout

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            response.raise_for_status()
        except requests.RequestException as error:
            raise BanError(f"{method} {url} failed: {error}") from error
        return response

    def search_csv(self, queries: pl.DataFrame) -> pl.DataFrame:
        """Geocode `queries` (columns cle, adresse, ville, code_commune) in batches of
        `batch_size` rows; one answer row per query row, with the ANSWER_COLUMNS typed.

        `ville` is appended to the query text (used where no commune filter is sent: the
        commune codes of Lyon, Paris and Marseille, whose addresses carry district codes).
        """
        parts = [
            self._search_csv_batch(queries.slice(start, self.batch_size))
            for start in range(0, queries.height, self.batch_size)
        ]
        return pl.concat(parts) if parts else _empty_answers()

    def _search_csv_batch(self, batch: pl.DataFrame) -> pl.DataFrame:
        url = f"{self.base_url}/search/csv/"
        body = batch.select(QUERY_COLUMNS).write_csv().encode("utf-8")
        response = self._send(
            "POST",
            url,
            files={"data": ("adresses.csv", body, "text/csv; charset=utf-8")},
            data=[("columns", "adresse"), ("columns", "ville"), ("citycode", "code_commune")],
        )
        try:
            answers = pl.read_csv(io.BytesIO(response.content), infer_schema=False)
            answers = answers.select(
                pl.col("cle"),
                *(pl.col(name).cast(dtype, strict=False) for name, dtype in ANSWER_COLUMNS.items()),
            )
        except (pl.exceptions.PolarsError, UnicodeDecodeError) as error:
            raise BanError(
                f"POST {url} answered something that is not the expected CSV "
                f"({error}; starts {response.text[:80]!r})"
            ) from error
        if answers.height != batch.height:
            raise BanError(f"POST {url} answered {answers.height} rows for {batch.height} sent")
        return answers

    def search(self, adresse: str, code_commune: str | None = None) -> dict | None:
        """The best `/search/` answer as a dict of ANSWER_COLUMNS (status 'ok'); None if none."""
        url = f"{self.base_url}/search/"
        params = {"q": adresse, "limit": 1}
        if code_commune:
            params["citycode"] = code_commune
        response = self._send("GET", url, params=params)
        try:
            features = response.json().get("features") or []
        except ValueError as error:
            raise BanError(f"GET {response.url} answered something that is not JSON") from error
        if not features:
            return None
        longitude, latitude = features[0]["geometry"]["coordinates"]
        properties = features[0].get("properties") or {}
        return {
            "latitude": float(latitude),
            "longitude": float(longitude),
            "result_score": properties.get("score"),
            "result_type": properties.get("type"),
            "result_label": properties.get("label"),
            "result_citycode": properties.get("citycode"),
            "result_oldcitycode": properties.get("oldcitycode"),
            "result_status": "ok",
        }


def _empty_answers() -> pl.DataFrame:
    return pl.DataFrame(schema={"cle": pl.String, **ANSWER_COLUMNS})
