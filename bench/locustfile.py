"""Mixed load for bench/load_bench.py (locust): reader pages, API lists, published PDF
downloads and a few editor saves, each user at one request per second (a fixed rate), and a
static file as the baseline measured in the same run.

The ids come from the environment (set by load_bench.py): LOAD_BOARD, LOAD_YEAR, LOAD_GOALS,
LOAD_PDF (a published report's URL), LOAD_TOKEN and LOAD_FOLLOW_UPS (open follow-ups the token
may write).
"""

import os
import random

from locust import HttpUser, constant_throughput, task

BOARD = os.environ.get("LOAD_BOARD", "1")
YEAR = os.environ.get("LOAD_YEAR", "2019")
GOALS = os.environ.get("LOAD_GOALS", "1").split(",")
PDF = os.environ.get("LOAD_PDF", "")
TOKEN = os.environ.get("LOAD_TOKEN", "")
FOLLOW_UPS = [f for f in os.environ.get("LOAD_FOLLOW_UPS", "").split(",") if f]


#: The floor of every request in the same run: a static file, answered by WhiteNoise before
#: any view, session or database (gunicorn, WSGI and the first middleware only).
BASELINE = os.environ.get("LOAD_BASELINE", "/static/admin/css/base.css")


class Visitor(HttpUser):
    wait_time = constant_throughput(1)

    @task(1)
    def baseline(self):
        self.client.get(BASELINE, name="baseline (static file)")

    @task(4)
    def reader_page(self):
        path = random.choice(
            ["/", f"/las/namnd/{BOARD}/{YEAR}/", f"/las/mal/{random.choice(GOALS)}/"]
        )
        self.client.get(path, name="reader page")

    @task(3)
    def api_list(self):
        path = random.choice(
            [
                "/api/v1/goals/?page_size=100",
                "/api/v1/indicator-values/?page_size=500",
                "/api/v1/follow-ups/?page_size=100",
            ]
        )
        self.client.get(path, name="API list")

    @task(2)
    def published_pdf(self):
        self.client.get(PDF, name="published PDF")

    @task(1)
    def editor_save(self):
        pk = random.choice(FOLLOW_UPS)
        headers = {"Authorization": f"Token {TOKEN}"}
        url = f"/api/v1/follow-ups/{pk}/text/"
        current = self.client.get(url, headers=headers, name="editor save (GET)")
        if current.status_code != 200:
            return
        with self.client.put(
            url,
            json={"text": f"Belastningstest {random.randint(0, 10**6)}"},
            headers={**headers, "If-Match": current.headers.get("ETag", "")},
            name="editor save (PUT)",
            catch_response=True,
        ) as response:
            # Two users may save the same follow-up at once: 412 is the API's right answer.
            if response.status_code in (200, 412):
                response.success()
