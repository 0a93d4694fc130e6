"""Shared fixtures: two organisations with a person in every role, and a plan in each."""

from __future__ import annotations

import pytest
from hypothesis import settings

# Property tests check behaviour, not speed: on a loaded two-core CI machine an example can take longer than
# hypothesis's default 200 ms deadline, which would fail a correct test.
settings.register_profile("wellled", deadline=None)
settings.load_profile("wellled")

# Django-free suites (tests/spc, tests/assessments) run with `-p no:django`: nothing here imports Django or the
# models at module level.


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with Django's cache empty: the portfolio pages keep each trust's facts there (ADR 0052),
    and a rolled-back test's ids come again in the next one."""
    from django.conf import settings as django_settings

    if django_settings.configured:
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def org(db):
    from tests.factories import make_organisation

    return make_organisation(name="Northmoor Test Trust", ods_code="ZNT01")


@pytest.fixture
def other_org(db):
    from tests.factories import make_organisation

    return make_organisation(name="Southvale Test Trust", ods_code="ZST01")


@pytest.fixture
def people(org):
    """One person per role in `org`."""
    from tests.factories import make_person

    from wellled.core.choices import Role

    return {role: make_person(org, role=role, username=role) for role in Role.values}


@pytest.fixture
def editor(people):
    return people["governance_editor"]


@pytest.fixture
def lead(people):
    return people["lead"]


@pytest.fixture
def viewer(people):
    return people["viewer"]


@pytest.fixture
def plan(org, editor, lead):
    from tests.factories import make_plan

    return make_plan(org, editor, name="Well-led self-review", lead=lead)


@pytest.fixture
def outsider(other_org):
    """An administrator of another organisation, with a plan of their own there."""
    from tests.factories import make_person, make_plan

    from wellled.core.choices import Role

    person = make_person(other_org, role=Role.ADMINISTRATOR, username="outsider")
    make_plan(other_org, person, name="Southvale plan", lead=person)
    return person


@pytest.fixture
def login(client):
    """Sign a person in through the real sign-in form and return the client."""
    from tests.factories import PASSWORD

    def _login(user):
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return client

    return _login


@pytest.fixture
def objects(plan, editor, lead):
    """One object of every kind in `plan` (of `org`): plan, section, action (led by `lead`), update, finding, cycle."""
    from tests.factories import make_plan_objects

    return make_plan_objects(plan, editor, lead)


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto's server mode) on a free port for the session: its address."""
    from moto.server import ThreadedMotoServer
    from tests.file_stores import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["local folder", "S3 server"])
def file_store(request, settings, tmp_path):
    """Uploads kept in a local folder of the test's own, then (the same test again) in a bucket of its own on the
    S3 server, with settings.STORAGES as production sets it."""
    from tests.file_stores import LOCAL, FileStore, bucket_create, s3_values

    from wellled.settings import s3_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    if request.param == LOCAL:
        config = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    else:
        endpoint = request.getfixturevalue("s3_server")
        config = s3_storage(s3_values(endpoint, bucket_create(endpoint), prefix="trust-files"))
    settings.STORAGES = {**settings.STORAGES, "default": config}
    return FileStore(kind=request.param, config=config)
