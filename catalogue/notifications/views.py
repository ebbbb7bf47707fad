"""The in-site notifications (the header's bell leads here), a person's choices of mails, and
the one-click unsubscribe link of every mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue.notifications import recipients, services
from catalogue.notifications.choices import (
    email_choices,
    kinds_for,
    read_unsubscribe_token,
    set_email_choice,
)
from catalogue.notifications.kinds import KINDS
from catalogue.notifications.messages import describe
from catalogue.notifications.models import Notification

LIST_SIZE = 50


@never_cache
@login_required
@require_safe
def notification_list(request):
    rows = list(
        Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")[:LIST_SIZE]
    )
    for row in rows:
        row.message = describe(row.kind, row.params)
    return render(
        request,
        "notifications/list.html",
        {"notifications": rows, "unread": sum(1 for row in rows if row.read_at is None)},
    )


@login_required
@require_safe
def notification_open(request, pk):
    """Follow a notification's link, marking it read (only one's own; only to this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(request.user, [notification.pk])
    url = notification.url
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return HttpResponseRedirect(url)


@login_required
@require_POST
def notification_mark_read(request):
    services.mark_read(request.user)
    messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    def __init__(self, *args, kinds, initial_choices, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.BooleanField(
                label=kind.label, required=False, initial=initial_choices[kind.key]
            )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    user = request.user
    choices = recipients.account_choices(user)
    kinds = kinds_for(user)
    current = email_choices(user, choices)
    form = PreferencesForm(request.POST or None, kinds=kinds, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind in kinds:
                if form.cleaned_data[kind.key] != current[kind.key]:
                    set_email_choice(user, kind.key, form.cleaned_data[kind.key], choices)
        messages.success(request, _("Vos choix de notifications sont enregistrés."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@never_cache
@csrf_exempt  # the signed token is the proof; mail providers' one-click POST has no CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button (link scanners and prefetches must not unsubscribe anyone); POST —
    that button, or a mail client's RFC 8058 one-click request — turns the kind's mails off."""
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        raise Http404
    kind = KINDS[found[1]]
    done = False
    if request.method == "POST":
        set_email_choice(user, kind.key, False)
        done = True
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "done": done})
