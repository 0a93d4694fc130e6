"""Each person's meetings as an iCalendar feed (ADR 0056): a secret address kept only as its SHA-256, revocable,
with the meetings of the committees the person sits on and never a private item's title."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.committees.builders import build_board

from wellled.committees.models import CalendarFeed
from wellled.committees.services.meetings import calendar_feed_create, calendar_feed_revoke

pytestmark = pytest.mark.django_db


def test_the_feed_lists_the_persons_meetings_without_private_titles(client):
    b = build_board()
    _feed, raw = calendar_feed_create(person=b.chair, organisation=b.org, by=b.chair)
    assert not CalendarFeed.objects.filter(token_sha256=raw).exists()  # only the digest is kept
    response = client.get(reverse("meeting-calendar-feed", args=[raw]))  # no sign-in: the address is the key
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 1
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Quality Committee" in unfolded
    assert "Integrated performance report: quality" in unfolded
    assert "Serious incident" not in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", body)


def test_a_non_member_has_no_meetings_and_a_revoked_or_replaced_address_stops_working(client):
    b = build_board()
    _feed, first = calendar_feed_create(person=b.outsider, organisation=b.org, by=b.outsider)
    assert "BEGIN:VEVENT" not in client.get(reverse("meeting-calendar-feed", args=[first])).content.decode()
    _feed, second = calendar_feed_create(person=b.outsider, organisation=b.org, by=b.outsider)
    assert client.get(reverse("meeting-calendar-feed", args=[first])).status_code == 404
    calendar_feed_revoke(person=b.outsider, organisation=b.org, by=b.outsider)
    assert client.get(reverse("meeting-calendar-feed", args=[second])).status_code == 404
    assert client.get(reverse("meeting-calendar-feed", args=["made-up"])).status_code == 404


def test_the_calendar_page_shows_the_address_once(login, client):
    b = build_board()
    login(b.member)
    assert client.get(reverse("meeting-calendar")).status_code == 200
    page = client.post(reverse("meeting-calendar"), {"do": "create"}).content.decode()
    address = re.search(r'<code id="calendar-address">([^<]+)</code>', page).group(1)
    assert "/calendar/" in address and address.endswith(".ics")
    again = client.get(reverse("meeting-calendar")).content.decode()
    assert address not in again and "Stop my address working" in again
