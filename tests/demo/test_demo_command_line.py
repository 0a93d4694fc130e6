"""`wellled --help` and `wellled demo` work on a fresh machine with nothing set: the demo implies local settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from wellled.__main__ import local_settings_imply
from wellled.demo.plans import DEMO_PASSWORD, DEMO_USERNAMES

TIMEOUT_SECONDS = 600


@pytest.fixture
def fresh_environment(tmp_path):
    """The environment of a fresh machine: no WELLLED_* settings (not even the tests'), a new data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WELLLED_", "DJANGO_"))}
    env["WELLLED_DATA_DIR"] = str(tmp_path / "data")
    return env


def _wellled(*args: str, env: dict[str, str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wellled", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def test_help_lists_every_command_without_any_setting(fresh_environment, tmp_path):
    result = _wellled("--help", env=fresh_environment, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not properly configured" not in result.stdout + result.stderr
    for command in ("demo", "serve", "plan", "board_paper", "measures"):
        assert f"    {command}\n" in result.stdout
    assert not (tmp_path / "data" / "secret_key").exists()  # help alone generates no key


def test_the_demo_prepares_without_any_setting_and_only_once(fresh_environment, tmp_path):
    first = _wellled("demo", "--no-serve", env=fresh_environment, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Demo data loaded" in first.stdout and DEMO_PASSWORD in first.stdout
    assert all(username in first.stdout for username in DEMO_USERNAMES)
    data_dir = tmp_path / "data"
    assert (data_dir / "secret_key").exists() and (data_dir / "wellled.sqlite3").exists()
    # A quiet console (issue 27): the sign-ins first, no raw e-mail, and the folder the e-mails went to, once.
    lines = first.stdout.splitlines()
    assert lines[0].startswith("Demo data loaded") and len(lines) < 40, first.stdout
    assert "Content-Type" not in first.stdout and "Subject:" not in first.stdout
    assert first.stdout.count(str(data_dir / "mail")) == 1
    assert any((data_dir / "mail").iterdir())  # the information requests' answers, as files
    again = _wellled("demo", "--no-serve", env=fresh_environment, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Demo data already loaded" in again.stdout


def test_only_the_demo_implies_local_settings_and_an_explicit_setting_wins(monkeypatch):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WELLLED_")}
    monkeypatch.setattr(os, "environ", environ)
    local_settings_imply(["wellled", "plan", "import", "plan.xlsx", "--plan", "help"])
    assert (
        "WELLLED_DEBUG" not in environ and "WELLLED_SECRET_KEY" not in environ
    )  # a real command: no default
    local_settings_imply(["wellled", "demo", "--no-serve"])
    assert environ["WELLLED_DEBUG"] == "1" and "WELLLED_SECRET_KEY" not in environ
    assert environ["WELLLED_EMAIL_BACKEND"].endswith(
        "filebased.EmailBackend"
    )  # e-mails to files, not the console
    environ["WELLLED_DEBUG"] = "0"
    local_settings_imply(["wellled", "demo"])
    assert environ["WELLLED_DEBUG"] == "0"
    local_settings_imply(["wellled", "migrate", "--help"])
    assert environ["WELLLED_SECRET_KEY"]  # help alone gets a throwaway key
