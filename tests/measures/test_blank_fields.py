"""The measure page's rebase and note forms are drawn once while blank (measures.jinja.blank_field, issue 24): the
same fields on every view, and a submitted form's own values and errors never kept nor shown to the next view."""

from __future__ import annotations

import re

import pytest
from tests.measures.conftest import measure  # noqa: F401 (fixture)

from wellled.measures import jinja as measure_jinja

pytestmark = pytest.mark.django_db


def _rebase_form(body: str) -> str:
    """The page's rebase form, without its CSRF token (a new one each time)."""
    form = re.search(r'<form method="post" action="/measures/\d+/rebase/".*?</form>', body, re.S)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form)


def test_the_blank_forms_are_drawn_once_and_a_refused_one_keeps_its_own_words(login, editor, measure):  # noqa: F811
    client = login(editor)
    measure_jinja._BLANK_FIELDS.clear()
    first = client.get(f"/measures/{measure.pk}/").content.decode()
    kept = dict(measure_jinja._BLANK_FIELDS)
    assert {key[-1] for key in kept} == {"date", "reason", "text"}
    again = client.get(f"/measures/{measure.pk}/").content.decode()
    assert _rebase_form(again) == _rebase_form(first)
    assert 'name="reason"' in _rebase_form(first) and "Recalculate the limits from" in _rebase_form(first)

    refused = client.post(
        f"/measures/{measure.pk}/rebase/", {"date": "2024-01-01", "reason": ""}
    ).content.decode()
    assert "Enter the reason for recalculating the limits" in _rebase_form(refused)
    assert 'value="2024-01-01"' in _rebase_form(refused)
    assert kept == measure_jinja._BLANK_FIELDS  # the refused form's fields are not kept
    after = client.get(f"/measures/{measure.pk}/").content.decode()
    assert _rebase_form(after) == _rebase_form(first)
    assert "Enter the reason" not in after and "2024-01-01" not in _rebase_form(after)
