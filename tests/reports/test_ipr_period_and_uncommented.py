"""The performance report defaults to the last complete period, not today, and an exception without commentary is
flagged before the report is issued, with a confirm step (issue 27 item 7)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.reports.test_ipr import STABLE, WORSENING, months

from wellled.core.formatting import long_date
from wellled.measures import services as measure_services
from wellled.reports.ipr import ipr_build, last_complete_period
from wellled.reports.models import PaperJob

pytestmark = pytest.mark.django_db


def month_end(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def load(org, editor, name, values, *, until_months_ago=1, target=None, direction="decrease"):
    measure = measure_services.measure_create(
        organisation=org, by=editor, name=name, kind="value", direction=direction, target=target
    )
    periods = months(len(values) + until_months_ago - 1)[: len(values)]
    rows = [
        measure_services.ValueRow(measure.pk, day, value=v) for day, v in zip(periods, values, strict=True)
    ]
    measure_services.values_load(organisation=org, by=editor, source="test", rows=rows)
    return measure


def test_with_no_figures_the_default_is_the_end_of_last_month(org, editor):
    today = timezone.localdate()
    assert last_complete_period(user=editor, organisation=org) == today.replace(day=1) - datetime.timedelta(
        days=1
    )
    assert last_complete_period(
        user=editor, organisation=org, today=datetime.date(2027, 3, 15)
    ) == datetime.date(2027, 2, 28)


def test_the_default_is_the_last_month_with_figures_when_they_stop_earlier(org, editor):
    load(org, editor, "Complaints answered late", WORSENING, until_months_ago=3)
    assert last_complete_period(user=editor, organisation=org) == month_end(months(3)[0])
    load(org, editor, "Staff appraisal rate", STABLE, until_months_ago=1)
    assert last_complete_period(user=editor, organisation=org) == month_end(months(1)[0])


def test_another_organisations_figures_do_not_move_the_default(org, editor, outsider, other_org):
    load(other_org, outsider, "Their measure", STABLE, until_months_ago=1)
    load(org, editor, "Our measure", STABLE, until_months_ago=4)
    assert last_complete_period(user=editor, organisation=org) == month_end(months(4)[0])


def test_the_page_and_its_drafts_default_to_the_last_complete_period(login, org, editor, viewer):
    load(org, editor, "Complaints answered late", WORSENING)
    last = month_end(months(1)[0])
    page = login(viewer).get(reverse("ipr")).content.decode()
    assert f"Position as at {long_date(last)}" in page
    assert f"{reverse('paper-draft', args=['ipr', 'pdf'])}?as_at={last.isoformat()}" in page
    assert "Download a draft" in page


@pytest.fixture
def exceptions(org, editor):
    """Two exceptions (one failing its target, one in special cause concern); only the second has commentary."""
    failing = load(org, editor, "Staff appraisal rate", STABLE, target=90.0, direction="increase")
    concern = load(org, editor, "Complaints answered late", WORSENING)
    measure_services.commentary_write(
        measure=concern, by=editor, period=months(1)[0], shows="Up since the summer.", why="", next_steps=""
    )
    return failing, concern


def test_exceptions_without_commentary_are_listed_on_the_page_and_before_issuing(
    login, org, editor, exceptions
):
    failing, concern = exceptions
    report = ipr_build(
        user=editor, organisation=org, as_at=last_complete_period(user=editor, organisation=org)
    )
    assert [m.name for m in report.uncommented] == ["Staff appraisal rate"]
    client = login(editor)
    for url in (reverse("ipr"), reverse("ipr-issue")):
        page = client.get(url).content.decode()
        assert "1 exception has no commentary" in page, url
        assert reverse("ipr-commentary", args=[failing.pk]) in page
        warning = page[page.index("1 exception has no commentary") :]
        assert "Complaints answered late" not in warning.split("</ul>")[0]


def test_issuing_with_uncommented_exceptions_asks_to_confirm_first(login, org, editor, exceptions):
    client = login(editor)
    as_at = last_complete_period(user=editor, organisation=org).isoformat()
    refused = client.post(reverse("ipr-issue"), {"as_at": as_at})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "1 exception has no commentary. Write it first, or tick the box" in text
    assert "Issue it without commentary on these exceptions" in text
    assert not PaperJob.objects.exists()
    confirmed = client.post(reverse("ipr-issue"), {"as_at": as_at, "without_commentary": "on"})
    assert confirmed.status_code == 302 and PaperJob.objects.count() == 1


def test_with_every_exception_commented_nothing_is_asked(login, org, editor, exceptions):
    failing, _ = exceptions
    measure_services.commentary_write(
        measure=failing, by=editor, period=months(1)[0], shows="Below target all year.", why="", next_steps=""
    )
    client = login(editor)
    as_at = last_complete_period(user=editor, organisation=org).isoformat()
    assert "no commentary" not in client.get(reverse("ipr-issue")).content.decode()
    assert client.post(reverse("ipr-issue"), {"as_at": as_at}).status_code == 302
