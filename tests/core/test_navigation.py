"""The header's navigation (core/navigation.py): data, one entry a line; a lead's own work first (issue 27)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from wellled.core.choices import Role
from wellled.core.navigation import ENTRIES, entries_for

pytestmark = pytest.mark.django_db


class _NavLinks(HTMLParser):
    """The header's navigation links as (text, current), in order."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, bool]] = []
        self._current: bool | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "nhsuk-header__navigation-link" in (attributes.get("class") or ""):
            self._current, self._text = attributes.get("aria-current") == "page", ""

    def handle_data(self, data):
        if self._current is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._current is not None:
            self.links.append((self._text.strip(), self._current))
            self._current = None


def _nav(response) -> list[tuple[str, bool]]:
    parser = _NavLinks()
    parser.feed(response.content.decode())
    return parser.links


def test_a_lead_sees_my_actions_first_so_a_phone_never_hides_it_under_more(login, lead):
    entries = _nav(login(lead).get("/"))
    assert entries[0] == ("My actions", False)
    assert ("Dashboard", True) in entries


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.GOVERNANCE_EDITOR, Role.VIEWER])
def test_other_roles_keep_the_desk_order_dashboard_first(login, people, role):
    entries = _nav(login(people[role]).get("/my-actions/"))
    assert [text for text, _ in entries][:2] == ["Dashboard", "Plans"]
    assert ("My actions", True) in entries


def test_the_entry_with_the_closest_path_is_current_and_only_one_is():
    oversight = entries_for(oversight=True, role=Role.GOVERNANCE_EDITOR)
    path = "/oversight/portfolio/trajectories/"
    closest = max(oversight, key=lambda entry: entry.match(path))
    assert closest.text == "Trajectories"
    assert [entry.text for entry in oversight] == [
        "Portfolio",
        "Trajectories",
        "Trusts",
        "Requests",
        "Organisation",
    ]


def test_every_entry_names_a_page_and_none_twice():
    from django.urls import reverse

    # One text per audience: a trust's "Requests" and an oversight body's are two entries for two menus.
    assert len({(entry.text, entry.shown_to) for entry in ENTRIES}) == len(ENTRIES)
    for entry in ENTRIES:
        reverse(entry.url_name)


def test_signed_out_there_is_no_navigation(client):
    assert _nav(client.get("/accounts/login/")) == []
