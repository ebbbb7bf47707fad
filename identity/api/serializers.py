from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from identity import oidc
from identity.models import DeviceToken
from identity.tokens import NAME_MAX_LENGTH

PKCE_VERIFIER_CHARACTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class DeviceNameField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=NAME_MAX_LENGTH,
            required=False,
            allow_blank=True,
            default="",
            help_text="Le nom de l'appareil, affiché dans « Mon compte » (ex. « Téléphone de "
            "Camille »).",
            **kwargs,
        )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="À envoyer dans l'en-tête Authorization: Token <token>. Montré une seule fois."
    )
    device_id = serializers.IntegerField(help_text="L'appareil, pour le révoquer.")
    device_name = serializers.CharField()


class OidcExchangeSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=list(oidc.KNOWN_PROVIDERS))
    code = serializers.CharField(max_length=2048, help_text="Le code d'autorisation reçu.")
    code_verifier = serializers.CharField(
        min_length=43,
        max_length=128,
        help_text="Le code_verifier PKCE (RFC 7636) dont l'application a envoyé le défi S256.",
    )
    redirect_uri = serializers.CharField(
        max_length=2000, help_text="L'adresse de retour donnée au fournisseur."
    )
    nonce = serializers.CharField(
        max_length=255, help_text="Le nonce donné au fournisseur, que l'ID token doit porter."
    )
    device_name = DeviceNameField()

    def validate_provider(self, value):
        if oidc.get_provider(value) is None:
            raise serializers.ValidationError(
                _("Ce fournisseur d'identité n'est pas proposé."), code="not_configured"
            )
        return value

    def validate_code_verifier(self, value):
        if not set(value) <= PKCE_VERIFIER_CHARACTERS:
            raise serializers.ValidationError(
                _("Caractères permis : lettres, chiffres et - . _ ~"), code="invalid"
            )
        return value

    def validate(self, attrs):
        provider = oidc.get_provider(attrs["provider"])
        if attrs["redirect_uri"] not in provider.mobile_redirect_uris:
            raise serializers.ValidationError(
                {"redirect_uri": _("Cette adresse de retour n'est pas celle d'une application.")},
                code="invalid",
            )
        return attrs


class DeviceSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="Le jeton de cette requête.")

    class Meta:
        model = DeviceToken
        fields = ["id", "name", "created_at", "last_used_at", "current"]

    def get_current(self, device) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, DeviceToken) and auth.pk == device.pk


class DevicePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DeviceSerializer(many=True)
