"""Signing in and out of the public site (the Wagtail admin keeps its own sign-in page).

Same accounts as the admin: an editor or a publisher member signed in here is signed in there.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from reviews.views import rate_limit_message, rate_limited


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    # Without a safe ?next=, home (so LOGIN_REDIRECT_URL, shared with nothing else, is unused).
    next_page = "/"

    def post(self, request, *args, **kwargs):
        # Password guessing gets the API's sign-in budget ("auth" scope), per address.
        if minutes := rate_limited(request, "auth"):
            # An unbound form: validating it would try the password anyway.
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")}
            )
            context = self.get_context_data(form=form, refused=rate_limit_message(minutes))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Connexion réussie."))
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET): the header has a small form."""

    next_page = "/"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Déconnexion réussie."))
        return response
