"""The results of the automated accessibility checks, as the accessibility statement shows
them (cms.blocks.AccessibilityResultsBlock, AccessibilityMethodBlock).

``accessibility_audit.json`` beside this module is written by the browser test
tests/functional/test_accessibility_audit.py: it runs axe-core on every page listed there and
fails when its findings differ from the file (``make accessibility-audit`` rewrites it), so the
statement always shows what the suite found. The file holds, per page: the rules axe-core ran
that passed, those that failed (with their impact and the number of elements), and those it
could not decide ("incomplete": to check by hand).
"""

import json
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language

AUDIT_FILE = Path(__file__).resolve().with_name("accessibility_audit.json")
IMPACTS = ["critical", "serious", "moderate", "minor"]


def load_audit(path: Path | None = None) -> dict | None:
    """The audit as the statement shows it (None when the file is missing), summarised."""
    path = path or AUDIT_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return summarise(read(str(path), stamp), english=(get_language() or "").startswith("en"))


@lru_cache(maxsize=4)
def read(path: str, stamp: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def summarise(audit: dict, *, english: bool = False) -> dict:
    pages = []
    rules = set()
    by_impact = dict.fromkeys(IMPACTS, 0)
    for page in audit["pages"]:
        rules.update(page["passed"])
        rules.update(violation["id"] for violation in page["violations"])
        rules.update(page["incomplete"])
        for violation in page["violations"]:
            by_impact[violation["impact"]] = by_impact.get(violation["impact"], 0) + 1
        pages.append(
            {
                **page,
                "label": page["name_en"] if english else page["name"],
                "violation_count": len(page["violations"]),
                "passed_count": len(page["passed"]),
                "incomplete_count": len(page["incomplete"]),
            }
        )
    blocking = sum(by_impact.get(impact, 0) for impact in audit["blocking_impacts"])
    return {
        **audit,
        "pages": pages,
        "rule_count": len(rules),
        "violations_by_impact": [(impact, by_impact[impact]) for impact in IMPACTS],
        "blocking_violations": blocking,
        "violation_count": sum(by_impact.values()),
    }
