"""End to end through the admin: a member submits a change, an editor approves it."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from catalogue.models import AppPage
from catalogue.services import REVIEW_TASK_NAME, WORKFLOW_NAME
from tests.admin_forms import app_form_data, assert_permission_denied

pytestmark = pytest.mark.django_db

NEW_TITLE = "Alpha Emploi, version relue"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def workflow_action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


@pytest.fixture
def submitted(client, member_a, app_a):
    """member A submits a new title for review (POST action-submit on the edit view)."""
    client.force_login(member_a)
    response = client.post(
        edit_url(app_a), app_form_data(app_a, title=NEW_TITLE, **{"action-submit": "1"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return AppPage.objects.get(pk=app_a.pk)


def test_submitting_starts_the_editorial_workflow(submitted, member_a):
    assert submitted.workflow_in_progress
    state = submitted.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == member_a
    task_state = state.current_task_state
    assert task_state.task.name == REVIEW_TASK_NAME
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert task_state.revision.content["title"] == NEW_TITLE


def test_submitted_change_is_not_live(submitted):
    assert submitted.title == "Alpha Emploi"
    assert submitted.draft_title == NEW_TITLE
    assert submitted.has_unpublished_changes
    assert submitted.live_revision.content["title"] == "Alpha Emploi"


def test_member_cannot_approve_its_own_submission(submitted, client, member_a):
    task_state = submitted.current_workflow_state.current_task_state
    client.force_login(member_a)

    response = client.post(
        workflow_action_url(submitted, "approve", task_state), {"comment": "Parfait"}
    )

    assert_permission_denied(response)
    assert AppPage.objects.get(pk=submitted.pk).title == "Alpha Emploi"
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_member_of_another_publisher_cannot_approve(submitted, client, member_b):
    task_state = submitted.current_workflow_state.current_task_state
    client.force_login(member_b)

    response = client.post(workflow_action_url(submitted, "approve", task_state), {"comment": ""})

    assert_permission_denied(response)
    assert AppPage.objects.get(pk=submitted.pk).title == "Alpha Emploi"


def test_editor_sees_the_submission_on_the_dashboard(submitted, client, editor):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert NEW_TITLE in response.content.decode()


def test_editor_approval_publishes_the_change(submitted, client, editor):
    workflow_state = submitted.current_workflow_state
    task_state = workflow_state.current_task_state
    client.force_login(editor)

    response = client.post(
        workflow_action_url(submitted, "approve", task_state), {"comment": "Relu, merci."}
    )

    assert response.status_code == 302
    app = AppPage.objects.get(pk=submitted.pk)
    assert app.title == NEW_TITLE
    assert not app.has_unpublished_changes
    assert not app.workflow_in_progress
    assert app.live_revision_id == task_state.revision_id
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == editor
    assert task_state.specific.comment == "Relu, merci."


def test_editor_requesting_changes_keeps_the_live_version(submitted, client, editor):
    workflow_state = submitted.current_workflow_state
    task_state = workflow_state.current_task_state
    client.force_login(editor)

    response = client.post(
        workflow_action_url(submitted, "reject", task_state), {"comment": "Précisez l'accroche."}
    )

    assert response.status_code == 302
    app = AppPage.objects.get(pk=submitted.pk)
    assert app.title == "Alpha Emploi"
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_member_resubmits_after_changes_requested_and_editor_approves(
    submitted, client, editor, member_a
):
    client.force_login(editor)
    first_task_state = submitted.current_workflow_state.current_task_state
    client.post(workflow_action_url(submitted, "reject", first_task_state), {"comment": "Non"})

    client.force_login(member_a)
    app = AppPage.objects.get(pk=submitted.pk)
    response = client.post(
        edit_url(app),
        app_form_data(
            app.get_latest_revision_as_object(),
            title="Alpha Emploi, v3",
            **{"action-restart-workflow": "1"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    app = AppPage.objects.get(pk=submitted.pk)
    task_state = app.current_workflow_state.current_task_state
    assert task_state.pk != first_task_state.pk
    client.force_login(editor)
    client.post(workflow_action_url(app, "approve", task_state), {"comment": ""})

    assert AppPage.objects.get(pk=submitted.pk).title == "Alpha Emploi, v3"
