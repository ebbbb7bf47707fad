"""/api/v1/ routes of onboarding; names are under the "api" namespace."""

from django.urls import path

from onboarding.api import views

urlpatterns = [
    path(
        "publisher-applications/",
        views.ApplicationListView.as_view(),
        name="publisher-application-list",
    ),
    path(
        "publisher-applications/<int:id>/",
        views.ApplicationDetailView.as_view(),
        name="publisher-application-detail",
    ),
    path(
        "publisher-applications/<int:id>/withdraw/",
        views.ApplicationWithdrawView.as_view(),
        name="publisher-application-withdraw",
    ),
    path(
        "publisher-invitations/<str:token>/accept/",
        views.InvitationAcceptView.as_view(),
        name="publisher-invitation-accept",
    ),
    path("publisher-teams/<int:id>/", views.TeamView.as_view(), name="publisher-team"),
    path(
        "publisher-teams/<int:id>/invitations/",
        views.TeamInvitationsView.as_view(),
        name="publisher-team-invitations",
    ),
    path(
        "publisher-teams/<int:id>/invitations/<int:invitation_id>/",
        views.TeamInvitationView.as_view(),
        name="publisher-team-invitation",
    ),
    path(
        "publisher-teams/<int:id>/members/<int:user_id>/",
        views.TeamMemberView.as_view(),
        name="publisher-team-member",
    ),
]
