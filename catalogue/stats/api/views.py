"""GET /api/v1/publisher/<slug>/stats/: a publisher's figures, for its members' tokens (or
sessions). The same period as the publisher space (``period`` 7, 30, 90 or ``custom`` with
``start`` and ``end``); an error per field otherwise (400)."""

from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.models import AppPage, Publisher
from catalogue.permissions import is_member
from catalogue.stats import reports
from catalogue.stats.periods import period_from, validation_errors
from web.problems import ErrorSerializer


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class FiguresSerializer(serializers.Serializer):
    view = serializers.IntegerField(help_text="Vues de la page de l'application.")
    visitor = serializers.IntegerField(help_text="Visiteurs distincts, comptés par jour.")
    install = serializers.IntegerField(help_text="Clics d'installation, toutes plateformes.")
    favourite_added = serializers.IntegerField()
    favourite_removed = serializers.IntegerField()
    review = serializers.IntegerField(help_text="Avis reçus.")
    impression = serializers.IntegerField(
        help_text="Apparitions dans la première page de résultats de recherche."
    )


class DayFiguresSerializer(FiguresSerializer):
    day = serializers.DateField()


class AppFiguresSerializer(FiguresSerializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class QuerySerializer(serializers.Serializer):
    query = serializers.CharField()
    searches = serializers.IntegerField()
    visitors = serializers.IntegerField()


class RatingPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    average = serializers.FloatField()
    count = serializers.IntegerField()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class PublisherStatsSerializer(serializers.Serializer):
    publisher = serializers.CharField(help_text="Le slug de l'éditeur.")
    period = PeriodSerializer()
    totals = FiguresSerializer()
    conversion = serializers.FloatField(
        allow_null=True, help_text="Clics d'installation / vues (null sans vue)."
    )
    installs_by_platform = serializers.DictField(child=serializers.IntegerField())
    days = DayFiguresSerializer(many=True)
    apps = AppFiguresSerializer(many=True)
    top_queries = QuerySerializer(
        many=True, help_text="Recherches menant aux applications, faites par assez de visiteurs."
    )
    rating = RatingPointSerializer(many=True, help_text="La note moyenne au fil des jours.")


FIELDS = list(FiguresSerializer().fields)


def figures_of(values: dict) -> dict:
    return {name: values.get(name, 0) for name in FIELDS}


class PublisherStatsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="publisher_stats",
        summary="Statistiques d'un éditeur",
        description="Les chiffres des applications de l'éditeur sur une période, par jour et "
        "par application, pour ses membres. Comptés sans cookie ni donnée personnelle.",
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                enum=["7", "30", "90", "custom"],
                description="Les 7, 30 ou 90 derniers jours (30 par défaut), ou custom.",
            ),
            OpenApiParameter("start", OpenApiTypes.DATE, description="Premier jour (custom)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Dernier jour (custom)."),
            OpenApiParameter("app", OpenApiTypes.STR, description="Le slug d'une application."),
        ],
        responses={
            200: PublisherStatsSerializer,
            400: error("Période ou application invalide (un message par paramètre)."),
            401: error("Non authentifié."),
            403: error("L'appelant n'est pas membre de l'éditeur."),
            404: error("Aucun éditeur sous ce slug."),
            429: error("Trop de requêtes (voir Retry-After)."),
        },
        tags=["publishers"],
    )
    def get(self, request, slug):
        publisher = get_object_or_404(Publisher, slug=slug)
        if not is_member(request.user, publisher.pk):
            raise PermissionDenied(_("Seuls les membres de l'éditeur voient ses statistiques."))
        period, form = period_from(request.query_params)
        errors = validation_errors(form) if period is None else {}
        apps = list(
            AppPage.objects.filter(publisher=publisher)
            .order_by("title", "pk")
            .only("pk", "slug", "title")
        )
        wanted = request.query_params.get("app")
        if wanted:
            apps = [app for app in apps if app.slug == wanted]
            if not apps:
                errors["app"] = [_("Aucune application de l'éditeur sous ce slug.")]
        if errors:
            raise ValidationError(errors)
        ids = [app.pk for app in apps]
        found = reports.figures(ids, period)
        body = {
            "publisher": publisher.slug,
            "period": {"start": period.start, "end": period.end},
            "totals": figures_of(found.totals),
            "conversion": found.conversion,
            "installs_by_platform": found.installs_by_platform(),
            "days": [{"day": day, **figures_of(found.by_day[day])} for day in period.days],
            "apps": [
                {"slug": app.slug, "title": app.title, **figures_of(found.by_app.get(app.pk, {}))}
                for app in apps
            ],
            "top_queries": [
                {"query": query, "searches": searches, "visitors": visitors}
                for query, searches, visitors in reports.top_queries(ids, period)
            ],
            "rating": [
                {"day": day, "average": average, "count": count}
                for day, average, count in reports.rating_over_time(ids, period)
            ],
        }
        response = Response(PublisherStatsSerializer(body).data)
        add_never_cache_headers(response)
        return response
