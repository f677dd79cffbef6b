"""A new school's empty pages say what to do next and link there."""

import pytest


@pytest.mark.parametrize("path", ["/", "/roster/", "/sessions/new"])
def test_an_empty_page_leads_to_the_class_list_import(school_client, path):
    page = school_client.get(path).get_data(as_text=True)
    assert "empty-state" in page
    assert 'href="/roster/import"' in page.split("empty-state", 1)[1]
