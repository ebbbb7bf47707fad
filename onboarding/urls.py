"""Public routes of the publishers' onboarding; included by store/urls.py before Wagtail's
catch-all."""

from django.urls import path

from onboarding import views

urlpatterns = [
    path("publier/", views.publish_home, name="publish_home"),
    path("publier/demande/", views.apply_create, name="publisher_apply"),
    path("publier/demande/rejoindre/", views.apply_join, name="publisher_apply_join"),
    path("publier/invitation/<str:token>/", views.invitation, name="publisher_invitation"),
    path("publier/editeurs/<int:pk>/equipe/", views.team, name="publisher_team"),
    path("publier/editeurs/<int:pk>/equipe/inviter/", views.invite, name="publisher_invite"),
    path(
        "publier/editeurs/<int:pk>/equipe/<int:user_id>/role/",
        views.change_role,
        name="publisher_member_role",
    ),
    path(
        "publier/editeurs/<int:pk>/equipe/<int:user_id>/retirer/",
        views.remove,
        name="publisher_member_remove",
    ),
    path(
        "publier/editeurs/<int:pk>/invitations/<int:invitation_id>/annuler/",
        views.revoke_invitation,
        name="publisher_invitation_revoke",
    ),
    path("publier/editeurs/<int:pk>/applications/", views.publisher_apps, name="publisher_apps"),
    path(
        "publier/editeurs/<int:pk>/applications/nouvelle/",
        views.new_app,
        name="publisher_new_app",
    ),
    path("publier/editeurs/<int:pk>/flux/", views.feeds, name="publisher_feeds"),
    path(
        "publier/editeurs/<int:pk>/flux/<int:feed_id>/<str:action>/",
        views.feed_action,
        name="publisher_feed_action",
    ),
    path("compte/demandes-editeur/", views.my_applications, name="account_publisher_applications"),
    path(
        "compte/demandes-editeur/<int:pk>/retirer/",
        views.withdraw,
        name="account_publisher_application_withdraw",
    ),
]
