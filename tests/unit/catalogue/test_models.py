"""Catalogue models without the database: what the admin may edit, how things print."""

import pytest

from catalogue.models import AppPage, Category


@pytest.mark.parametrize("field", [*AppPage.COUNTER_FIELDS, "publisher", "source"])
def test_counters_publisher_and_source_are_not_editable(field):
    """Editors never type them: reviews, counters and the page tree maintain them."""
    assert AppPage._meta.get_field(field).editable is False


def test_edit_form_has_no_counter_nor_publisher_field():
    form_class = AppPage.get_edit_handler().get_form_class()

    assert not {*AppPage.COUNTER_FIELDS, "publisher"} & set(form_class.base_fields)
    assert {"title", "tagline", "categories", "audiences", "external_id"} <= set(
        form_class.base_fields
    )
    assert set(form_class.formsets) >= {"listings", "screenshots"}


def test_category_str_and_universe_flag():
    universe = Category(pk=1, name="Se former", slug="se-former")
    sub = Category(pk=2, name="Apprendre en ligne", slug="apprendre-en-ligne", parent=universe)

    assert universe.is_universe
    assert str(universe) == "Se former"
    assert not sub.is_universe
    assert str(sub) == "Se former › Apprendre en ligne"


def test_apps_live_only_under_publisher_pages():
    assert AppPage.parent_page_types == ["catalogue.PublisherPage"]
    assert AppPage.subpage_types == []
