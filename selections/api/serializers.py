"""What /api/v1/ shows of selections, and what it accepts.

Text is returned as it was stored (JSON carries it as text; whoever renders it in HTML escapes
it). The public read of a shared selection shows what its page shows, and nothing about the
mediator but their organisation.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from catalogue import renditions
from catalogue.api.favourites import app_api_url
from catalogue.app_page import absolute_url
from catalogue.models import AppPage
from catalogue.platforms import Platform
from selections.models import (
    MAX_ITEMS,
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Selection,
)


def shared_link(request, selection: Selection) -> str | None:
    if not (selection.token and selection.link_is_open()):
        return None
    return absolute_url(request, reverse("selection_shared", args=[selection.token]))


# --- Reading -------------------------------------------------------------------------------


class SelectionAppSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="title")
    tagline = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="L'application dans l'API (URL).")
    page_url = serializers.SerializerMethodField(help_text="Sa page sur le site (URL).")

    def get_url(self, app) -> str:
        return app_api_url(self.context["request"], app.slug)

    def get_page_url(self, app) -> str:
        request = self.context["request"]
        return absolute_url(request, app.get_url(request) or "")


class SelectionItemSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="À partir de 1, dans l'ordre de la sélection.")
    app = SelectionAppSerializer()
    note = serializers.CharField(help_text="La note du médiateur pour la personne.")


class SelectionSerializer(serializers.Serializer):
    """Une sélection du médiateur : brouillon, partagée (avec son lien) ou lien retiré."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    message = serializers.CharField()
    link_state = serializers.ChoiceField(
        choices=["draft", "open", "expired", "revoked"],
        help_text="draft : pas encore partagée ; open : le lien fonctionne ; expired, revoked.",
    )
    link = serializers.SerializerMethodField(help_text="Le lien court, tant qu'il fonctionne.")
    token = serializers.SerializerMethodField(help_text="Son jeton (lecture publique), ou null.")
    shared_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    open_count = serializers.IntegerField(
        help_text="Ouvertures du lien, comptées sans cookie ni donnée personnelle."
    )
    copied_from = serializers.IntegerField(source="copied_from_id", allow_null=True)
    items = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_link(self, selection) -> str | None:
        return shared_link(self.context["request"], selection)

    def get_token(self, selection) -> str | None:
        return selection.token if selection.link_is_open() else None

    def get_items(self, selection) -> SelectionItemSerializer(many=True):
        items = [
            {"position": position, "app": item.app, "note": item.note}
            for position, item in enumerate(selection.listed_items, start=1)
        ]
        return SelectionItemSerializer(items, many=True, context=self.context).data


class SelectionPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SelectionSerializer(many=True)


class InstallSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.values)
    url = serializers.URLField()
    label = serializers.CharField(help_text="Le texte du bouton, comme sur le site.")
    recommended = serializers.BooleanField(help_text="Celui de l'appareil qui demande.")


class SharedAppSerializer(SelectionAppSerializer):
    icon = serializers.SerializerMethodField(help_text="Icône 128×128 (URL), ou null.")
    install = serializers.SerializerMethodField(
        help_text="Où l'installer, l'appareil qui demande d'abord."
    )

    def get_icon(self, app) -> str | None:
        rendition = renditions.rendition_or_none(app.icon, renditions.API_ICON)
        return self.context["request"].build_absolute_uri(rendition.url) if rendition else None

    def get_install(self, app) -> InstallSerializer(many=True):
        return InstallSerializer(app.install, many=True).data


class SharedItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    app = SharedAppSerializer()
    note = serializers.CharField()


class SharedSelectionSerializer(serializers.Serializer):
    """Une sélection partagée, telle que la personne la voit (sans compte)."""

    title = serializers.CharField()
    message = serializers.CharField()
    organisation = serializers.CharField(help_text="L'organisme du médiateur.")
    expires_at = serializers.DateTimeField()
    items = SharedItemSerializer(many=True)


# --- Writing -------------------------------------------------------------------------------


class ItemWriteSerializer(serializers.Serializer):
    app = serializers.CharField(max_length=255, help_text="Identifiant (slug) de l'application.")
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )

    def validate_app(self, slug):
        app = AppPage.objects.visible().filter(slug=slug).order_by("pk").first()
        if app is None:
            raise serializers.ValidationError(_("Aucune application publiée sous cet identifiant."))
        return app


class SelectionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True)
    items = ItemWriteSerializer(
        many=True,
        required=False,
        max_length=MAX_ITEMS,
        help_text=f"Les applications dans l'ordre ({MAX_ITEMS} au plus) : remplacent la liste.",
    )

    def validate_items(self, items):
        seen = set()
        for item in items:
            if item["app"].pk in seen:
                raise serializers.ValidationError(
                    _("Une application ne figure qu'une fois dans une sélection.")
                )
            seen.add(item["app"].pk)
        return items


class ShareSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Durée du lien en jours (par défaut : SELECTIONS_LINK_DAYS).",
    )
