"""What every page pays before and after its view, kept cheap without changing what anyone sees (issue 24).

The organisation switcher lists a region's director's lent trusts from plain values (no model object per trust), the
two-factor rule still reads every organisation, lent ones too, and the header kept by the process for each distinct
set of parameters never shows one person's header to another.
"""

import re

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.core.test_portfolio_scoping import director, region  # noqa: F401 (fixtures)
from tests.factories import PASSWORD, make_person

from wellled.core.choices import Role
from wellled.core.models import Organisation
from wellled.core.services import (
    membership_set,
    organisation_create,
    portfolio_trust_add,
    portfolio_trust_remove,
    two_factor_required_set,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _trusts(body, count, start=0):
    """`count` trusts joined to the body's portfolio today, named so they sort in the order made."""
    made = []
    for n in range(start, start + count):
        trust = organisation_create(name=f"Trust {n:03d} <&>", ods_code=f"T{n:04d}", by=None)
        portfolio_trust_add(oversight_body=body, trust=trust, by=None, joined_on=TODAY())
        made.append(trust)
    return made


def _switcher(html: str) -> tuple[list[tuple[str, str, bool]], list[tuple[str, str, bool]]]:
    """The switcher's (value, text, selected) choices: own organisations, then the lent group's."""
    select = re.search(r'<select[^>]*id="switch-organisation".*?</select>', html, re.S)[0]
    own_part, _, lent_part = select.partition("<optgroup")
    pattern = r'<option value="(\d+)"( selected)?\s*>([^<]*)</option>'

    def choices(part):
        return [(value, text, bool(chosen)) for value, chosen, text in re.findall(pattern, part)]

    return choices(own_part), choices(lent_part)


def test_switcher_lists_own_then_lent_escaped_and_selects_the_one_worked_in(login, director, region, org):  # noqa: F811
    trusts = _trusts(region, 3)
    membership_set(user=director, organisation=org, role=Role.LEAD, by=None)  # also a member of a trust
    portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=TODAY())
    left = _trusts(region, 1, start=10)[0]
    portfolio_trust_remove(entry=left.overseen_by.get(), by=None, left_on=TODAY())
    client = login(director)
    html = client.get(reverse("oversight-portfolio")).content.decode()
    own, lent = _switcher(html)
    # Own organisations by name (the region is worked in), then the trusts lent today, by name, escaped; the trust
    # they belong to is listed once, as their own; the trust that left is gone.
    assert own == [
        (str(region.pk), "NHS England Test Region (ZR001)", True),
        (str(org.pk), f"{org.name} ({org.ods_code})", False),
    ]
    assert lent == [
        (str(t.pk), f"Trust {n:03d} &lt;&amp;&gt; (T{n:04d})", False) for n, t in enumerate(trusts)
    ]
    assert 'label="Trusts you oversee (read-only)"' in html
    # Working in a lent trust: it is the one selected, and the header says through whom.
    client.post(reverse("organisation-switch"), {"organisation": trusts[1].pk, "next": "/"})
    html = client.get("/").content.decode()
    own, lent = _switcher(html)
    assert [chosen for _, _, chosen in own + lent] == [False, False, False, True, False]
    assert "(Viewer, through NHS England Test Region)" in _text(html)


def test_a_trust_person_with_one_organisation_has_no_switcher(login, people):
    html = login(people[Role.LEAD]).get("/").content.decode()
    assert 'id="switch-organisation"' not in html


def test_account_page_lists_lent_trusts_read_only(login, director, region):  # noqa: F811
    _trusts(region, 2)
    html = login(director).get(reverse("account")).content.decode()
    assert html.count("Read-only, through NHS England Test Region") == 2
    assert "Trust 000 &lt;&amp;&gt; (T0000)" in html


def test_two_factor_is_still_required_when_only_a_lent_trust_requires_it(login, director, region):  # noqa: F811
    trust = _trusts(region, 2)[1]
    client = login(director)
    assert client.get(reverse("oversight-portfolio")).status_code == 200
    admin = make_person(trust, role=Role.ADMINISTRATOR)
    two_factor_required_set(organisation=trust, required=True, by=admin)
    response = client.get(reverse("oversight-portfolio"))
    assert response.status_code == 302 and response["Location"] == reverse("two-factor-setup")
    # The trust leaves the portfolio: its rule no longer reaches the director.
    portfolio_trust_remove(entry=trust.overseen_by.get(), by=None, left_on=TODAY())
    assert client.get(reverse("oversight-portfolio")).status_code == 200


def _cost(client, path: str) -> tuple[int, int]:
    """Queries and model objects made by one request."""
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    post_init.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
    finally:
        post_init.disconnect(count)
    return len(queries), len(made)


def test_what_every_page_pays_does_not_grow_with_the_portfolio(login, director, region):  # noqa: F811
    _trusts(region, 2)
    client = login(director)
    client.get(reverse("account"))  # settles the session
    small = _cost(client, reverse("account"))
    _trusts(region, 25, start=2)
    large = _cost(client, reverse("account"))
    assert large == small  # the same queries and the same model objects, however many trusts are lent
    assert len(_switcher(client.get(reverse("account")).content.decode())[1]) == 27


def _text(html: str) -> str:
    return " ".join(html.split())


def test_the_kept_header_is_each_persons_own_and_follows_a_renamed_organisation(people, org, other_org):
    def page(person) -> str:
        client = Client()  # each person signs in on their own browser
        assert (
            client.post("/accounts/login/", {"username": person.username, "password": PASSWORD}).status_code
            == 302
        )
        return _text(client.get("/").content.decode())

    lead, editor = people[Role.LEAD], people[Role.GOVERNANCE_EDITOR]
    lead_page = page(lead)
    assert f"{lead} (Lead)" in lead_page and f"{editor} (" not in lead_page
    editor_page = page(editor)
    assert f"{editor} (Governance editor)" in editor_page and f"{lead} (" not in editor_page
    Organisation.objects.filter(pk=org.pk).update(name="Renamed Hospitals NHS Trust")
    assert 'nhsuk-header__organisation-name">Renamed Hospitals NHS Trust<' in page(editor)
    outsider_page = page(make_person(other_org, role=Role.LEAD))
    assert other_org.name in outsider_page and "Renamed Hospitals" not in outsider_page


def test_the_kept_header_marks_the_section_of_each_page(login, people):
    """The header is kept per set of parameters, the menu's current entry among them: each section's page marks its
    own entry, never the one drawn first."""
    client = login(people[Role.GOVERNANCE_EDITOR])

    def current(path: str) -> list[str]:
        html = client.get(path).content.decode()
        return re.findall(r'<a[^>]*href="([^"]+)"[^>]*aria-current="page"', html)

    assert current("/measures/") == ["/measures/"]
    assert "/measures/" not in current("/")
    assert current("/measures/") == ["/measures/"]


def test_the_oldest_kept_drawing_goes_first_when_the_limit_is_reached(monkeypatch):
    from wellled import jinja2 as wellled_jinja2

    monkeypatch.setattr(wellled_jinja2, "DRAWN_MAX", 2)
    monkeypatch.setattr(wellled_jinja2, "_drawn", {})
    drawn = []

    def macro(params):
        drawn.append(params["text"])
        return params["text"]

    for text in ("a", "b", "a", "c", "b", "a"):
        wellled_jinja2.drawn_once(macro, {"text": text})
    # a and b drawn and kept; a kept; c pushes out a; b still kept; a drawn again (pushing out b)
    assert drawn == ["a", "b", "c", "a"]
