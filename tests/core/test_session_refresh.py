"""Sessions end after a working day idle, and using Wellled keeps one alive without writing it on every page."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wellled.core.middleware import SESSION_REFRESH_SECONDS, session_refresh_seconds

pytestmark = pytest.mark.django_db


def _session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])


def _end(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_in_a_row_write_the_session_once(login, editor):
    client = login(editor)
    client.get("/")  # the first page after signing in settles which organisation the person works in
    assert [_session_writes(client) for _ in range(3)] == [0, 0, 0]


def test_a_person_still_working_after_the_refresh_interval_has_their_session_pushed_forward(login, editor):
    start = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = login(editor)
        _session_writes(client)
        first_end = _end(client)
        clock.shift(SESSION_REFRESH_SECONDS - 1)
        assert _session_writes(client) == 0
        clock.shift(2)
        assert _session_writes(client) == 1
        assert _session_writes(client) == 0
        assert _end(client) - first_end == datetime.timedelta(seconds=SESSION_REFRESH_SECONDS + 1)


def test_a_session_idle_for_the_session_age_ends(login, editor):
    start = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = login(editor)
        _session_writes(client)
        # Busy all morning in short steps: never signed out, though the first end has long passed.
        for _ in range(settings.SESSION_COOKIE_AGE // SESSION_REFRESH_SECONDS + 2):
            clock.shift(SESSION_REFRESH_SECONDS - 30)
            assert client.get("/").status_code == 200
        clock.shift(settings.SESSION_COOKIE_AGE + 1)
        response = client.get("/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_short_idle_time_is_kept_to_within_a_tenth(login, editor, settings):
    settings.SESSION_COOKIE_AGE = 15 * 60  # a trust that signs people out after 15 idle minutes
    assert session_refresh_seconds() == 90
    start = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = login(editor)
        client.get("/")
        for _ in range(30):  # an hour of steady work, a page every two minutes: never signed out
            clock.shift(120)
            assert client.get("/").status_code == 200
        clock.shift(
            settings.SESSION_COOKIE_AGE - 90
        )  # idle, short of the time by less than a tenth: still in
        assert client.get("/").status_code == 200
        clock.shift(settings.SESSION_COOKIE_AGE + 1)
        assert client.get("/").status_code == 302
