"""The one-way layers of docs/architecture.md, as import-linter contracts (pyproject.toml).

`make lint` runs `lint-imports`; these tests show that the contracts hold on the code as it
is, and that they do catch a wrong import: a copy of the code where the catalogue imports
reviews (or its sync) is refused.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("store", "cms", "reviews", "search", "catalogue", "web")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the venv's lint-imports, fixed arguments
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project_copy(tmp_path):
    """The Python packages and pyproject.toml, copied (no templates or static files needed)."""
    ignore = shutil.ignore_patterns("templates", "static", "locale", "__pycache__", "*.json")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(module: Path, statement: str) -> None:
    module.write_text(module.read_text() + f"\n{statement}  # noqa\n")


def test_the_layer_contracts_hold():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_copy_alone_keeps_them(project_copy):
    result = lint_imports(project_copy)

    assert result.returncode == 0, result.stdout + result.stderr


BROKEN = "{} is not allowed to import {}"


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        ("catalogue/models.py", "import reviews.models", BROKEN.format("catalogue", "reviews")),
        ("catalogue/services.py", "import cms.models", BROKEN.format("catalogue", "cms")),
        ("reviews/services.py", "import search.indexing", BROKEN.format("reviews", "search")),
        ("search/tasks.py", "import store.urls", BROKEN.format("search", "store")),
        ("web/problems.py", "import catalogue.models", BROKEN.format("web", "catalogue")),
        (
            "catalogue/models.py",
            "import catalogue.sync.models",
            BROKEN.format("catalogue.models", "catalogue.sync"),
        ),
    ],
)
def test_a_wrong_import_breaks_a_contract(project_copy, module, statement, broken):
    add_import(project_copy / module, statement)

    result = lint_imports(project_copy)

    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert broken in result.stdout, result.stdout
