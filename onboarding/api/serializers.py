"""Serializers of onboarding's API: the same rules as the site's forms (onboarding.forms)."""

from django import forms
from django.utils.translation import gettext
from rest_framework import serializers

from catalogue.models import Publisher
from onboarding.forms import check_contact, check_identifier
from onboarding.models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, Application, Invitation, Role
from web.pagination import PageSerializer


def as_drf(error: forms.ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(list(error.messages))


class ApplicationSerializer(serializers.ModelSerializer):
    publisher = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    # Plain text, not an enum: "status" is the reviews' enum's name in the schema.
    status = serializers.CharField(
        read_only=True, help_text="pending, approved, refused ou withdrawn (voir status_label)."
    )
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Application
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "publisher",
            "name",
            "publisher_kind",
            "identifier",
            "website",
            "contact_email",
            "justification",
            "plans",
            "reason",
            "created_at",
            "decided_at",
        ]

    def get_publisher(self, application) -> dict | None:
        publisher = application.publisher
        return {"id": publisher.pk, "name": publisher.name} if publisher else None


class ApplicationPageSerializer(PageSerializer):
    results = ApplicationSerializer(many=True)


class ApplicationWriteSerializer(serializers.Serializer):
    """``kind`` create: name, publisher_kind, identifier, website, contact_email, plans
    (justification when the address is not on the site's domain). join / claim: publisher
    (its id) and justification."""

    kind = serializers.ChoiceField(choices=Application.Kind.choices)
    publisher = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False)
    publisher_kind = serializers.ChoiceField(choices=Publisher.Kind.choices, required=False)
    identifier = serializers.CharField(max_length=20, required=False)
    website = serializers.URLField(max_length=200, required=False)
    contact_email = serializers.EmailField(required=False)
    justification = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    plans = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)

    def validate_identifier(self, value):
        try:
            return check_identifier(value)
        except forms.ValidationError as error:
            raise as_drf(error) from None

    def validate(self, data):
        errors = {}
        if data["kind"] == Application.Kind.CREATE:
            for name in ("name", "publisher_kind", "identifier", "website", "contact_email"):
                if not str(data.get(name, "")).strip():
                    errors[name] = [serializers.Field.default_error_messages["required"]]
            if not data.get("plans", "").strip():
                errors["plans"] = [serializers.Field.default_error_messages["required"]]
            if not errors:
                try:
                    check_contact(
                        data["contact_email"], data["website"], data.get("justification", "")
                    )
                except forms.ValidationError as error:
                    errors["justification"] = list(error.messages)
        else:
            publisher = Publisher.objects.filter(pk=data.get("publisher") or 0).first()
            if publisher is None:
                errors["publisher"] = [gettext("Éditeur inconnu.")]
            if not data.get("justification", "").strip():
                errors["justification"] = [serializers.Field.default_error_messages["required"]]
            data["publisher"] = publisher
        if errors:
            raise serializers.ValidationError(errors)
        return data


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at"]


class TeamSerializer(serializers.Serializer):
    publisher = serializers.DictField()
    members = MemberSerializer(many=True)
    invitations = InvitationSerializer(many=True)


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class AcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="L'éditeur rejoint.")
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
