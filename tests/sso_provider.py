"""A real OpenID Connect provider for the sign-on tests: node's oidc-provider (tests/oidc/provider.mjs), started
on 127.0.0.1 on a free port, knowing one client whose redirect URI is the live server's callback.

It needs Node.js and `npm ci` in tests/oidc (bash .ci/run does both); without them the tests fail saying so."""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).parent / "oidc"
START_SECONDS = 30


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    client_id: str
    client_secret: str


def start_provider(*, redirect_uris: list[str]):
    """Start the provider; returns (process, RunningProvider). The caller stops the process."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The single sign-on tests need Node.js and the provider's packages: run `npm ci` in tests/oidc "
            "(bash .ci/run does).",
            pytrace=False,
        )
    client = {
        "client_id": "wellled-test",
        "client_secret": secrets.token_urlsafe(24),
        "redirect_uris": redirect_uris,
    }
    log = tempfile.NamedTemporaryFile(prefix="oidc-provider-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env={**os.environ, "OIDC_TEST_CLIENT": json.dumps(client)},
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
    line = process.stdout.readline() if ready else ""
    if not line.startswith("issuer "):
        process.kill()
        pytest.fail(f"The OpenID Connect provider did not start; its log is {log.name}", pytrace=False)
    return process, RunningProvider(
        issuer=line.split()[1], client_id=client["client_id"], client_secret=client["client_secret"]
    )


@pytest.fixture
def oidc_provider(live_server, org):
    """The provider, with the live server's callback for `org` (provider id "org-" and its ODS code)."""
    callback = f"{live_server.url}/accounts/oidc/org-{org.ods_code.lower()}/login/callback/"
    process, provider = start_provider(redirect_uris=[callback])
    try:
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
