"""The blocks of the legal pages (cms.LegalPage): editors' text, and parts generated from what
the site really does, so that the page cannot say otherwise:

- ``compliance_status``: the statement's compliance status (the page's ``compliance`` field, the
  one the footer shows);
- ``accessibility_results``: the axe-core checks the test suite runs (cms/accessibility.py);
- ``accessibility_method``: the tool, standard and pages of those checks;
- ``retention_periods``: how long data is kept (settings.RETENTION, the purge tasks' periods);
- ``cookies``: the cookies the site sets (the settings that name them);
- ``sitemap``: the site's plan, from its pages.

An editor places a generated block where it belongs in the text, in each language; its content
is not editable (StaticBlock).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "ol", "ul"]


class GeneratedBlock(blocks.StaticBlock):
    """A part computed at display time; ``data(parent_context)`` gives its template's context."""

    def data(self, parent_context) -> dict:
        return {}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context.update(self.data(parent_context or {}))
        return context


class ComplianceStatusBlock(GeneratedBlock):
    def data(self, parent_context):
        page = parent_context.get("page")
        return {"compliance": getattr(page, "compliance", "none")}

    class Meta:
        template = "cms/blocks/compliance_status.html"
        admin_text = _("L'état de conformité choisi dans le champ « état de conformité RGAA ».")
        label = _("État de conformité (généré)")
        icon = "success"


class AccessibilityResultsBlock(GeneratedBlock):
    def data(self, parent_context):
        from cms import accessibility  # the JSON file is read at display time, not at import

        return {"audit": accessibility.load_audit()}

    class Meta:
        template = "cms/blocks/accessibility_results.html"
        admin_text = _(
            "Résultats générés à partir des contrôles axe-core que la suite de tests exécute "
            "(cms/accessibility_audit.json)."
        )
        label = _("Résultats des tests (généré)")
        icon = "tasks"


class AccessibilityMethodBlock(AccessibilityResultsBlock):
    class Meta:
        template = "cms/blocks/accessibility_method.html"
        admin_text = _("Outils, environnement de test et pages vérifiées (généré).")
        label = _("Méthode et pages vérifiées (généré)")
        icon = "list-ul"


class RetentionPeriodsBlock(GeneratedBlock):
    def data(self, parent_context):
        from cms import legal

        return {"periods": legal.retention_periods()}

    class Meta:
        template = "cms/blocks/retention_periods.html"
        admin_text = _("Durées de conservation, lues dans la configuration (généré).")
        label = _("Durées de conservation (généré)")
        icon = "time"


class CookiesBlock(GeneratedBlock):
    def data(self, parent_context):
        from cms import legal

        return {"cookies": legal.cookies()}

    class Meta:
        template = "cms/blocks/cookies.html"
        admin_text = _("Les cookies que le site dépose, lus dans la configuration (généré).")
        label = _("Liste des cookies (généré)")
        icon = "list-ul"


class SitemapBlock(GeneratedBlock):
    def data(self, parent_context):
        from cms import legal

        return {"sections": legal.site_plan(parent_context.get("request"))}

    class Meta:
        template = "cms/blocks/sitemap.html"
        admin_text = _("Le plan du site, construit à partir de ses pages (généré).")
        label = _("Plan du site (généré)")
        icon = "site"


def legal_blocks():
    return [
        ("text", blocks.RichTextBlock(features=TEXT_FEATURES, label=_("Texte"))),
        ("compliance_status", ComplianceStatusBlock()),
        ("accessibility_results", AccessibilityResultsBlock()),
        ("accessibility_method", AccessibilityMethodBlock()),
        ("retention_periods", RetentionPeriodsBlock()),
        ("cookies", CookiesBlock()),
        ("sitemap", SitemapBlock()),
    ]
