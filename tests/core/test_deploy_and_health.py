"""Deploy settings behind switches (HSTS, HTTPS redirect), `check --deploy` clean with the production example,
sign-in slowed per address across usernames, and /health/ saying which part is down (ADR 0022, ADR 0023)."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def production_example() -> dict[str, str]:
    """The variables .env.example sets (its uncommented lines), as a production server would have them."""
    found = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^(WELLLED_[A-Z_]+)=(.*)$", line.strip())
        if match:
            found[match[1]] = match[2]
    return found


def test_check_deploy_is_clean_with_the_production_example(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        **production_example(),
        "WELLLED_DATA_DIR": str(tmp_path),
        "WELLLED_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "WELLLED_ALLOWED_HOSTS": "wellled.example-trust.nhs.uk",
    }
    done = subprocess.run(
        [sys.executable, "-m", "wellled", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_hsts_and_the_https_redirect_are_switches_read_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    base = {"PATH": os.environ["PATH"], "WELLLED_DATA_DIR": str(tmp_path), "WELLLED_SECRET_KEY": "k" * 50}

    def read(**extra):
        out = subprocess.run(
            [sys.executable, "-m", "wellled", "shell", "-c", code],
            env={**base, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return (
            out.stdout.strip().splitlines()[-1].split()
        )  # the last line: the shell may announce imports first

    assert read() == ["31536000", "True", "True", "False"]  # production defaults
    assert read(WELLLED_HSTS_SECONDS="600", WELLLED_SSL_REDIRECT="0", WELLLED_HSTS_PRELOAD="1") == [
        "600",
        "False",
        "True",
        "True",
    ]
    assert read(WELLLED_DEBUG="1")[:2] == ["0", "False"]  # a local demo over plain HTTP


def test_a_server_process_freezes_what_it_loaded_and_collects_cycles_less_often(tmp_path):
    """The WSGI module settles Python's cycle collector for a long-lived process (issue 24), and the database
    connection prepares repeated queries on PostgreSQL unless a pooler needs it off."""
    code = (
        "import gc, wellled.wsgi as w; from django.conf import settings as s; "
        "print(gc.get_freeze_count() > 100_000, gc.get_threshold()[0] == w.YOUNGEST_GENERATION_THRESHOLD, "
        "s.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold'))"
    )
    base = {"PATH": os.environ["PATH"], "WELLLED_DATA_DIR": str(tmp_path), "WELLLED_SECRET_KEY": "k" * 50}
    base |= {k: v for k, v in os.environ.items() if k == "PYTHONPATH"}  # this checkout's code, as the suite's

    def read(**extra):
        out = subprocess.run(
            [sys.executable, "-c", code], env={**base, **extra}, capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    postgres = "postgres://postgres@127.0.0.1:5432/unused"  # settings only: nothing connects
    assert read() == ["True", "True", "None"]  # SQLite: nothing to prepare
    assert read(WELLLED_DATABASE_URL=postgres) == ["True", "True", "2"]
    assert read(WELLLED_DATABASE_URL=postgres, WELLLED_DATABASE_PREPARED="0") == ["True", "True", "None"]


@pytest.mark.django_db
def test_sign_ins_failing_across_many_usernames_from_one_address_are_refused(settings, lead):
    """A password sprayed across usernames (each below its own lockout) is stopped per address; another address,
    and the same address once the failures age out, are not."""
    from axes.models import AccessFailureLog

    settings.WELLLED_SIGNIN_ADDRESS_FAILURE_LIMIT = 6
    sprayer = Client(REMOTE_ADDR="198.51.100.20")
    for index in range(6):
        answer = sprayer.post("/accounts/login/", {"username": f"person{index}", "password": "Winter2026!"})
        assert answer.status_code == 200  # one failure per username: no username is locked
    refused = sprayer.post("/accounts/login/", {"username": lead.username, "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed sign-ins have come from your network" in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    assert (
        elsewhere.post("/accounts/login/", {"username": lead.username, "password": PASSWORD}).status_code
        == 302
    )
    AccessFailureLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=1))
    assert (
        sprayer.post("/accounts/login/", {"username": lead.username, "password": PASSWORD}).status_code == 302
    )


@pytest.mark.django_db
def test_health_is_ok_with_the_database_answering_and_tasks_run_in_the_request(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "ok",
        "database: ok",
        "worker: not used (tasks run in the request)",
        "files: local folder (not checked here)",
    ]


@pytest.mark.django_db
def test_health_says_the_worker_is_down_without_a_recent_heartbeat_and_ok_with_one(client, settings):
    from wellled.core.models import WorkerHeartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.get("/health/")
    assert response.status_code == 503 and "worker: down (no heartbeat yet)" in response.content.decode()
    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(worker_id="w1", pid=1, started_at=now, beat_at=now)
    assert client.get("/health/").status_code == 200
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(beat_at=now - datetime.timedelta(minutes=5))
    response = client.get("/health/")
    assert (
        response.status_code == 503 and "worker: down (last heartbeat 300 s ago)" in response.content.decode()
    )


@pytest.mark.django_db
def test_health_says_the_database_is_down_when_it_does_not_answer(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.content.decode().splitlines()[:2] == ["unhealthy", "database: down (it does not answer)"]
