"""Regenerate the README's screenshots (docs/screenshots/) from the demo catalogue.

    .venv/bin/python scripts/screenshots.py [--var-dir var] [--out docs/screenshots]

`make screenshots` runs it after `scripts/browser.sh ensure`. By default the demo catalogue
(`load_demo`, as `make demo` does) is loaded into a temporary STORE_VAR_DIR, so the pictures are
the same on every machine and var/ is left alone; `--var-dir var` uses an existing demo instead.
`manage.py runserver` serves it (DJANGO_ENV=development: SQLite, database search, tasks in
process) on a free loopback port, and the browser of the tests (Playwright driving Debian's
Chromium, French, 1280×900) captures:

- home.png: the home page;
- search.png: /apps/?q=formation with a facet ticked (Android);
- app.png: an app page (« Trouver ma formation »).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1280, "height": 900}
SEARCH = "/apps/?q=formation&platform=android"
APP_NAME = "Trouver ma formation"
START_TIMEOUT = 60  # seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--var-dir",
        type=Path,
        help="a STORE_VAR_DIR that already holds the demo (default: a fresh one, temporary)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)

    with demo_dir(options.var_dir) as var_dir:
        env = demo_env(var_dir)
        if options.var_dir is None:
            print("→ chargement de la démo dans un dossier temporaire…", flush=True)
            for command in (
                ["migrate", "--noinput", "--verbosity", "0"],
                ["load_demo", "--verbosity", "0"],
                ["search_index", "--reconcile"],
            ):
                manage(env, *command)
        with runserver(env) as base_url:
            capture(base_url, options.out)


@contextmanager
def demo_dir(var_dir):
    if var_dir is not None:
        if not (var_dir / "db.sqlite3").is_file():
            sys.exit(f"{var_dir}/db.sqlite3 est introuvable : lancez d'abord `make demo`.")
        yield var_dir.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="store-screenshots-") as temporary:
        yield Path(temporary)


def demo_env(var_dir: Path) -> dict:
    """The embedded default, as `make demo`: no outside service, whatever the shell exports."""
    env = {**os.environ, "DJANGO_ENV": "development", "STORE_VAR_DIR": str(var_dir)}
    for variable in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "CELERY_TASK_ALWAYS_EAGER"):
        env.pop(variable, None)
    return env


def manage(env, *arguments):
    done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(arguments)} a échoué :\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def runserver(env):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(server, base_url, log)
            print(f"→ démo servie sur {base_url}", flush=True)
            yield base_url
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_up(server, base_url, log):
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.poll() is not None:
            log.seek(0)
            sys.exit(f"runserver s'est arrêté :\n{log.read().decode()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2):  # noqa: S310
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                sys.exit(f"runserver ne répond pas sur {base_url} après {START_TIMEOUT} s")
            time.sleep(0.3)


def chromium_path() -> str:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or "/usr/bin/chromium"
    )


def capture(base_url: str, out: Path):
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        sys.exit(f"Chromium est introuvable ({executable}) : lancez scripts/browser.sh ensure.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        context = browser.new_context(
            base_url=base_url, locale="fr-FR", viewport=VIEWPORT, device_scale_factor=1
        )
        context.set_default_timeout(30_000)
        page = context.new_page()

        shoot(page, "/", out / "home.png")
        shoot(page, SEARCH, out / "search.png")
        page.get_by_role("link", name=APP_NAME).first.click()
        page.wait_for_load_state("networkidle")
        shoot(page, None, out / "app.png")
        browser.close()


def shoot(page, path, target: Path):
    if path is not None:
        response = page.goto(path, wait_until="networkidle")
        if response is None or response.status != 200:
            sys.exit(f"{path} : HTTP {response.status if response else '?'}")
    page.evaluate("() => document.fonts.ready")
    page.screenshot(path=str(target))
    print(f"✓ {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}", flush=True)


if __name__ == "__main__":
    main()
