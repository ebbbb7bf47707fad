"""The mobile API under load: gunicorn (2 workers) on loopback, driven by `wrk` from another
process; each endpoint's throughput as a ratio of a bare DRF endpoint's in the same run.

    eval "$(scripts/services.sh env)"
    .venv/bin/python bench/api.py [--apps 10000] [--backend database|elasticsearch]
                                  [--duration 8] [--warm-up 2] [--threads 2] [--connections 16]
                                  [--python-load]

What a run does, everything on 127.0.0.1, in about 1 to 2 minutes at 10,000 apps:
1. a throwaway PostgreSQL database next to BENCH_DATABASE_URL's (as in bench/generate.py):
   `migrate`, `generate_catalogue --apps N`, `search_index --rebuild`. The search backend is the
   database's by default; `--backend elasticsearch` uses ELASTICSEARCH_URL under a throwaway
   index prefix (`bench-api-<pid>`), whose indices are deleted at the end;
2. gunicorn, 2 sync workers, on a free loopback port, in the production profile
   (DJANGO_ENV=production, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   SECURE_SSL_REDIRECT=0, DEBUG off) with the anonymous and user throttle rates raised out of
   the way (API_THROTTLE_ANON / API_THROTTLE_USER = 1000000/second: the throttle still runs,
   in the cache: Redis when REDIS_URL is set, as in production; so is the catalogue version
   behind the ETags, which both workers must share). Its settings module is
   bench/api_settings.py, whose URLconf (bench/api_urls.py) is the store's plus the baseline
   endpoints;
3. each case is checked once (status, ETag), then loaded for `--warm-up` seconds (discarded)
   and `--duration` seconds (measured) with `wrk -t2 -c16 --latency`:
   - the bare DRF endpoint returning a constant (the baseline, /api/bench-bare/);
   - the same without throttling (/api/bench-bare-unthrottled/), for what the throttle costs:
     with every request from one address at a rate nothing throttles, DRF's throttle history
     (a list of timestamps, read and written in the cache at each request) holds a second of
     requests, and in Redis its two round trips per request weigh on a loopback server;
   - /api/v1/apps/?q=formation&platform=ios&platform=android&pricing=free (with its facets);
   - the detail of an app, /api/v1/apps/<slug>/;
   - its 304 revalidation: the same request with `If-None-Match: <the ETag of a first
     response>` (skipped, saying so, while the endpoint sends no ETag);
   - the bare endpoint again, last: the baseline is the mean of its two runs, and the gap
     between them shows how much the machine drifted during the run;
4. gunicorn is stopped and the database dropped, whatever happened (Ctrl-C included).

Printed: requests/s, p50 and p99 latency (ms), errors (non-2xx/3xx responses and socket
errors), and each throughput as a ratio of the bare endpoint's, with the targets of issue 4:
detail ≥ 0.5, 304 ≥ 0.8. Figures only; nothing is asserted.

`wrk` is the Debian package: when it is missing and this runs as root, it is installed with
apt-get (said in the output); otherwise (or with `--python-load`) a small multi-threaded
http.client load generator, run in a separate process, stands in for it (also said: it is
much slower than wrk, so its figures are lower bounds and the ratios are compressed towards 1).

The load generator and the two workers share the machine's cores: on a small machine, the
absolute figures say little, the ratios more.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DEFAULT_POSTGRES, manage, safe, throwaway_postgres  # noqa: E402

HOST = "127.0.0.1"
BARE = "/api/bench-bare/"
UNTHROTTLED = "/api/bench-bare-unthrottled/"
LIST = "/api/v1/apps/?q=formation&platform=ios&platform=android&pricing=free"
DETAIL = "/api/v1/apps/{slug}/"
TARGETS = {"detail": 0.5, "revalidation": 0.8}
THROTTLE_OFF = "1000000/second"
START_TIMEOUT = 60  # seconds for gunicorn to answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=10_000, help="taille du catalogue")
    parser.add_argument(
        "--backend",
        choices=["database", "elasticsearch"],
        default="database",
        help="moteur de recherche (ELASTICSEARCH_URL pour elasticsearch)",
    )
    parser.add_argument("--duration", type=int, default=8, help="secondes mesurées par cas")
    parser.add_argument("--warm-up", type=int, default=2, help="secondes d'échauffement par cas")
    parser.add_argument("--threads", type=int, default=2, help="threads de wrk")
    parser.add_argument("--connections", type=int, default=16, help="connexions simultanées")
    parser.add_argument("--workers", type=int, default=2, help="workers gunicorn")
    parser.add_argument(
        "--python-load", action="store_true", help="générateur de charge Python, sans wrk"
    )
    parser.add_argument(
        "--throttle-only",
        action="store_true",
        help="seulement le point d'accès nu, avec et sans limitation, en alternance (3 fois)",
    )
    parser.add_argument("--load-worker", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--header", action="append", default=[], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.load_worker:
        return load_worker(options)

    elasticsearch = os.environ.get("ELASTICSEARCH_URL")
    if options.backend == "elasticsearch" and not elasticsearch:
        sys.exit('ELASTICSEARCH_URL n\'est pas défini : eval "$(scripts/services.sh env)".')
    # Stopped by a signal (make interrupted, a CI timeout): clean up as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    load = LoadGenerator.choose(options)
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    with throwaway_postgres(admin_url) as url, tempfile.TemporaryDirectory() as var_dir:
        if url is None:
            sys.exit(f"PostgreSQL injoignable ({safe(admin_url)}).")
        prefix = f"bench-api-{os.getpid()}"
        env = {
            **os.environ,
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "DATABASE_URL": url,
            "STORE_VAR_DIR": var_dir,
            "ELASTICSEARCH_INDEX_PREFIX": prefix,
        }
        env.pop("REDIS_URL", None)  # generation: tasks in process (bulk writes send none)
        env.pop("ELASTICSEARCH_URL", None)
        try:
            rows = measure(options, load, env, elasticsearch, var_dir)
        finally:
            if options.backend == "elasticsearch":
                delete_indices(elasticsearch, prefix)
    print_table(rows, options, load)
    print(f"Durée totale : {time.perf_counter() - started:.0f} s.")


def measure(options, load, env, elasticsearch, var_dir) -> list[dict]:
    print(f"{options.apps} applications : migration…", flush=True)
    manage(env, "migrate", "--verbosity", "0")
    print(f"{options.apps} applications : génération…", flush=True)
    manage(env, "generate_catalogue", "--apps", str(options.apps), "--verbosity", "0")
    if options.backend == "elasticsearch":
        env = {**env, "ELASTICSEARCH_URL": elasticsearch}
    print(f"{options.apps} applications : index de recherche ({options.backend})…", flush=True)
    manage(env, "search_index", "--rebuild", "--verbosity", "0")
    slug = some_app_slug(env["DATABASE_URL"])

    server_env = {
        **env,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "API_THROTTLE_ANON": THROTTLE_OFF,
        "API_THROTTLE_USER": THROTTLE_OFF,
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("REDIS_URL"):
        server_env["REDIS_URL"] = os.environ["REDIS_URL"]  # the cache, shared, as in production
    else:
        server_env["CELERY_TASK_ALWAYS_EAGER"] = "true"  # production refuses it otherwise
    Path(var_dir, "static").mkdir(exist_ok=True)  # WhiteNoise warns about a missing STATIC_ROOT
    with Gunicorn(server_env, options.workers, Path(var_dir, "gunicorn.log")) as server:
        print(f"gunicorn : {options.workers} workers sur {server.base}", flush=True)
        rows = []
        if options.throttle_only:
            # Alternating runs: a busy machine drifts less between the two sides of a pair.
            for _round in range(3):
                rows.append(run_case(server, load, options, "bare", "Point d'accès nu", BARE))
                rows.append(
                    run_case(server, load, options, "unthrottled", "  sans limitation", UNTHROTTLED)
                )
            return rows
        cases = [
            ("bare", "Point d'accès DRF nu (constante)", BARE),
            ("unthrottled", "  le même, sans limitation de débit", UNTHROTTLED),
            ("list", "Liste ?q=formation + filtres + facettes", LIST),
            ("detail", "Détail d'une application", DETAIL.format(slug=slug)),
        ]
        for key, label, path in cases:
            rows.append(run_case(server, load, options, key, label, path))
        rows.append(revalidation(server, load, options, DETAIL.format(slug=slug)))
        # Again at the end: the baseline is the mean of both, their gap a measure of drift.
        rows.append(run_case(server, load, options, "bare", "Point d'accès nu, à nouveau", BARE))
    return rows


def run_case(server, load, options, key, label, path, headers=None, expected=200) -> dict:
    row = {"key": key, "label": label, "path": path}
    status, _, _ = server.get(path, headers)
    if status != expected:
        row["skipped"] = f"HTTP {status} (attendu {expected}) : non mesuré"
        print(f"{label} : {row['skipped']}", flush=True)
        return row
    print(f"{label} : mesure…", flush=True)
    load.run(server.base + path, headers or {}, options.warm_up)  # warm-up, discarded
    row.update(load.run(server.base + path, headers or {}, options.duration))
    return row


def revalidation(server, load, options, path) -> dict:
    label = "Revalidation 304 (If-None-Match)"
    status, headers, _ = server.get(path)
    etag = headers.get("ETag")
    if status != 200 or not etag:
        reason = (
            "pas d'ETag : non mesuré (no ETag: skipped)"
            if status == 200
            else f"HTTP {status} : non mesuré"
        )
        print(f"{label} : {reason}", flush=True)
        return {"key": "revalidation", "label": label, "skipped": reason}
    row = run_case(server, load, options, "revalidation", label, path, {"If-None-Match": etag}, 304)
    if "skipped" in row and not os.environ.get("REDIS_URL"):
        row["skipped"] += " (sans REDIS_URL, chaque worker a sa version du catalogue)"
    row["etag"] = etag
    return row


def some_app_slug(database_url) -> str:
    """A live generated app's slug, from the middle of the catalogue."""
    import psycopg

    query = """
        SELECT page.slug FROM wagtailcore_page page
        JOIN catalogue_apppage app ON app.page_ptr_id = page.id
        WHERE page.live ORDER BY page.id
        OFFSET (SELECT count(*) / 2 FROM catalogue_apppage) LIMIT 1
    """
    with psycopg.connect(database_url) as connection:
        found = connection.execute(query).fetchone()
    if found is None:
        sys.exit("Aucune application en ligne dans le catalogue généré.")
    return found[0]


def delete_indices(elasticsearch, prefix):
    """Deletes the indices (and so the aliases) under the throwaway prefix."""
    base = elasticsearch.rstrip("/")
    listing = f"{base}/_cat/indices/{prefix}*?h=index&format=json&expand_wildcards=all"
    try:
        with urllib.request.urlopen(listing, timeout=10) as response:  # noqa: S310 - our URL
            names = [entry["index"] for entry in json.load(response)]
        if names:
            url = f"{base}/{','.join(names)}"
            request = urllib.request.Request(url, method="DELETE")  # noqa: S310 - our URL
            urllib.request.urlopen(request, timeout=30).close()  # noqa: S310 - our URL
    except (OSError, ValueError) as error:
        print(f"Index {prefix}* non supprimés ({error}) : à supprimer à la main.")


# --- The server ----------------------------------------------------------------------------


class Gunicorn:
    """gunicorn on a free loopback port, started on entry, stopped (and waited for) on exit."""

    def __init__(self, env, workers, log_path):
        self.env, self.workers, self.log_path = env, workers, log_path
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            "--error-logfile",
            str(self.log_path),
            "--graceful-timeout",
            "5",
            "store.wsgi:application",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped below whatever happens
        )
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn s'est arrêté au démarrage :\n{self.log_tail()}")
            try:
                status, _, _ = self.get(BARE, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn ne répond pas après {START_TIMEOUT} s :\n{self.log_tail()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the arbiter stops its workers, then itself
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group started above, only
            self.process.wait(timeout=5)

    def get(self, path, headers=None, timeout=10):
        """(status, headers, body) of one GET; HTTP errors are answers here, not exceptions."""
        request = urllib.request.Request(self.base + path, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return "(pas de journal)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- Load generators -----------------------------------------------------------------------


class LoadGenerator:
    name = ""

    @staticmethod
    def choose(options) -> "LoadGenerator":
        wrk = None if options.python_load else shutil.which("wrk") or install_wrk()
        if wrk:
            return Wrk(wrk, options)
        print(
            ("--python-load" if options.python_load else "wrk indisponible")
            + " : générateur de charge Python (http.client, threads) dans un "
            "autre processus, à la place. Bien plus lent que wrk : débits sous-estimés, "
            "rapports tirés vers 1."
        )
        return PythonLoad(options)


def install_wrk() -> str | None:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    print("wrk absent : apt-get install -y wrk (paquet Debian)…", flush=True)
    if not apt_get("install", "-y", "-q", "wrk"):
        print("  échec ; apt-get update, puis nouvel essai…", flush=True)
        apt_get("update", "-q")
        if not apt_get("install", "-y", "-q", "wrk"):
            print("  échec de l'installation de wrk.", flush=True)
            return None
    return shutil.which("wrk")


def apt_get(*arguments) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = [shutil.which("apt-get"), *arguments]
    return not subprocess.run(command, env=env, capture_output=True, check=False).returncode  # noqa: S603


class Wrk(LoadGenerator):
    name = "wrk"
    LATENCY = re.compile(r"^\s*(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
    UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def __init__(self, executable, options):
        self.executable, self.options = executable, options

    def describe(self) -> str:
        return f"wrk {self.options.threads} threads × {self.options.connections} connexions"

    def run(self, url, headers, seconds) -> dict:
        command = [
            self.executable,
            f"-t{self.options.threads}",
            f"-c{self.options.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
        ]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run(  # noqa: S603 - wrk, fixed arguments
            [*command, url], capture_output=True, text=True, check=False, timeout=seconds + 30
        )
        if done.returncode:
            sys.exit(f"wrk a échoué :\n{done.stderr[-2000:]}")
        return self.parse(done.stdout)

    def parse(self, output) -> dict:
        rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
        if rate is None:
            sys.exit(f"Sortie inattendue de wrk :\n{output}")
        latency = {
            cut: float(value) * self.UNITS[unit]
            for cut, value, unit in self.LATENCY.findall(output)
        }
        non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        sockets = re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
        )
        errors = int(non_2xx.group(1)) if non_2xx else 0
        # gunicorn's sync workers close each connection: wrk may count those as read errors.
        socket_errors = sum(int(n) for n in sockets.groups()) if sockets else 0
        total = re.search(r"(\d+) requests in", output)
        return {
            "rps": float(rate.group(1)),
            "p50": latency.get("50"),
            "p99": latency.get("99"),
            "requests": int(total.group(1)) if total else None,
            "errors": errors,
            "socket_errors": socket_errors,
        }


class PythonLoad(LoadGenerator):
    name = "python"

    def __init__(self, options):
        self.options = options

    def describe(self) -> str:
        return f"générateur Python, {self.options.connections} connexions (un thread chacune)"

    def run(self, url, headers, seconds) -> dict:
        command = [
            sys.executable,
            __file__,
            "--load-worker",
            url,
            "--duration",
            str(seconds),
            "--connections",
            str(self.options.connections),
        ]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        done = subprocess.run(  # noqa: S603 - this very script
            command, capture_output=True, text=True, check=False, timeout=seconds + 60
        )
        if done.returncode:
            sys.exit(f"Le générateur de charge a échoué :\n{done.stderr[-2000:]}")
        return json.loads(done.stdout.splitlines()[-1])


def load_worker(options):
    """One thread per connection, each sending GETs back to back for --duration seconds."""
    import http.client

    parts = urlsplit(options.load_worker)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = dict(header.split(": ", 1) for header in options.header)
    deadline = time.perf_counter() + options.duration
    latencies, errors, lock = [], [0, 0], threading.Lock()

    def loop():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, bad, failed = [], 0, 0
        while (started := time.perf_counter()) < deadline:
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    bad += 1
                mine.append((time.perf_counter() - started) * 1000)
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad
            errors[1] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(options.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if latencies else None
    result = {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] if cuts else None,
        "p99": cuts[98] if cuts else None,
        "requests": len(latencies),
        "errors": errors[0],
        "socket_errors": errors[1],
    }
    print(json.dumps(result))


# --- Report --------------------------------------------------------------------------------


def print_table(rows, options, load):
    bare_rates = [row["rps"] for row in rows if row["key"] == "bare" and "rps" in row]
    bare = statistics.mean(bare_rates) if bare_rates else None
    cache = "Redis" if os.environ.get("REDIS_URL") else "local (LocMemCache)"
    print()
    print(
        f"API sous charge : {options.apps} applications, recherche « {options.backend} », "
        f"gunicorn {options.workers} workers (sync), {load.describe()}, "
        f"{options.duration} s par cas après "
        f"{options.warm_up} s d'échauffement ; cache {cache} ; latences en ms."
    )
    print(f"{'Cas':<44}{'req/s':>9}{'p50':>8}{'p99':>8}{'erreurs':>9}{'rapport':>9}{'cible':>9}")
    for row in rows:
        if "rps" not in row:
            print(f"{row['label']:<44} {row['skipped']}")
            continue
        ratio = row["rps"] / bare if bare else None
        target = TARGETS.get(row["key"])
        verdict = ""
        if target is not None and ratio is not None:
            verdict = f"≥ {target:.1f} {'✓' if ratio >= target else '✗'}"
        print(
            f"{row['label']:<44}{row['rps']:>9.0f}{ms(row['p50']):>8}{ms(row['p99']):>8}"
            f"{row['errors'] + row['socket_errors']:>9}"
            f"{f'{ratio:.2f}×' if ratio is not None else '—':>9}{verdict:>9}"
        )
    unthrottled = [row["rps"] for row in rows if row["key"] == "unthrottled" and "rps" in row]
    if bare and unthrottled:
        throttled_share = bare / statistics.mean(unthrottled)
        print(
            f"Limitation de débit : le point d'accès nu limité fait {throttled_share:.2f}× "
            "le même sans limitation (cible de l'issue 13 : ≥ 0,8)."
        )
    if options.throttle_only:
        return
    print(f"Liste : {LIST}")
    detail = next(row for row in rows if row["key"] == "detail")
    print(f"Détail : {detail['path']} (et sa revalidation)")
    print(
        "Rapport : débit du cas / débit du point d'accès nu (même gunicorn, même pile DRF)", end=""
    )
    if len(bare_rates) == 2:
        gap = abs(bare_rates[0] - bare_rates[1]) / bare * 100
        print(
            f",\nmoyenne de ses deux mesures, au début et à la fin : {bare:.0f} req/s "
            f"(écart entre elles : {gap:.0f} %)."
        )
    else:
        print(".")
    print("Cibles (issue 4) : détail ≥ 0,5 ; revalidation 304 ≥ 0,8. Mesures, non vérifiées.")
    if len(bare_rates) > 2:
        print(f"({len(bare_rates)} mesures du point d'accès nu, en alternance.)")
    if any(row.get("errors") or row.get("socket_errors") for row in rows):
        print("Erreurs : réponses hors 2xx/3xx et erreurs de socket comptées par le générateur.")


def ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


if __name__ == "__main__":
    main()
