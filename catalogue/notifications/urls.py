"""Public URLs of the notifications (included at the site root by store/urls.py)."""

from django.urls import path

from catalogue.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path("notifications/tout-lu/", views.notification_mark_read, name="mark_read"),
    path("compte/notifications/", views.preferences, name="preferences"),
    path("notifications/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
