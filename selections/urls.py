"""Public routes of the selections: the mediators' space (/mediation/…), the shared page
(/s/<token>/) and the person's kept selections (/compte/selections/).

Included by store/urls.py before Wagtail's catch-all.
"""

from django.urls import path

from selections import views

urlpatterns = [
    path("mediation/", views.space, name="selection_space"),
    path("mediation/demande/", views.request_role, name="mediator_request"),
    path("mediation/selections/nouvelle/", views.create, name="selection_create"),
    path("mediation/selections/<int:pk>/", views.detail, name="selection_detail"),
    path("mediation/selections/<int:pk>/partager/", views.share, name="selection_share"),
    path("mediation/selections/<int:pk>/retirer-le-lien/", views.revoke, name="selection_revoke"),
    path("mediation/selections/<int:pk>/dupliquer/", views.duplicate, name="selection_duplicate"),
    path("mediation/selections/<int:pk>/supprimer/", views.delete, name="selection_delete"),
    path("mediation/selections/<int:pk>/imprimer/", views.print_page, name="selection_print"),
    path("mediation/selections/<int:pk>/qr-code.svg", views.qr_download, name="selection_qr"),
    path("mediation/parcours/<int:pk>/copier/", views.copy_path, name="path_copy"),
    path("mediation/ajouter/<int:app_id>/", views.add_app, name="selection_add_app"),
    path("s/<str:token>/", views.shared, name="selection_shared"),
    path("s/<str:token>/garder/", views.keep, name="selection_keep"),
    path("compte/selections/", views.saved, name="account_saved_selections"),
    path(
        "compte/selections/<int:pk>/retirer/",
        views.forget_kept,
        name="account_saved_selection_remove",
    ),
]
