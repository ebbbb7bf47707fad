"""The realistic mix bench/load.py drives with locust: what visitors and the mobile apps do.

Weights: app pages and searches most, then the home page, the API's search, detail, its 304
revalidation and suggestions. The paths of real apps come from BENCH_LOAD_PATHS (a JSON file
bench/load.py writes: app page paths and slugs of the generated catalogue).
"""

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["BENCH_LOAD_PATHS"], encoding="utf-8") as paths_file:
    PATHS = json.load(paths_file)
QUERIES = ["formation", "emploi", "cv", "entretien", "métier", "offres", "projet"]
FACETS = ["platform=android", "platform=ios", "pricing=free", "audience=jobseekers", ""]


class Visitor(HttpUser):
    wait_time = between(0.5, 2)

    @task(3)
    def app_page(self):
        self.client.get(random.choice(PATHS["pages"]), name="page d'application")

    @task(3)
    def search_page(self):
        query, facet = random.choice(QUERIES), random.choice(FACETS)
        self.client.get(f"/apps/?q={query}&{facet}", name="/apps/ (recherche + facette)")

    @task(2)
    def home(self):
        self.client.get("/", name="accueil")

    @task(2)
    def api_search(self):
        query, facet = random.choice(QUERIES), random.choice(FACETS)
        self.client.get(f"/api/v1/apps/?q={query}&{facet}", name="API recherche")

    @task(2)
    def api_detail(self):
        slug = random.choice(PATHS["slugs"])
        self.client.get(f"/api/v1/apps/{slug}/", name="API détail")

    @task(1)
    def api_revalidation(self):
        slug = random.choice(PATHS["slugs"])
        first = self.client.get(f"/api/v1/apps/{slug}/", name="API détail")
        etag = first.headers.get("ETag")
        if etag:
            with self.client.get(
                f"/api/v1/apps/{slug}/",
                headers={"If-None-Match": etag},
                name="API 304",
                catch_response=True,
            ) as response:
                if response.status_code == 304:
                    response.success()

    @task(2)
    def suggest(self):
        prefix = random.choice(QUERIES)[:3]
        self.client.get(f"/api/v1/suggest/?q={prefix}", name="API suggestions")
