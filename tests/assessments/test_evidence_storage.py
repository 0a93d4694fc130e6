"""Assessment evidence through the storage API (ADR 0058), on the local folder and on a real S3 server: uploaded on a
page, kept with its SHA-256, downloaded (streamed) by a member on another machine, never by another trust, never
passed on once changed; a store that cannot be reached is said on the page."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from tests.file_stores import free_port, s3_values

from wellled.assessments.models import EvidenceItem, StatementAssessment
from wellled.core.models import AuditLog
from wellled.core.stored_files import StoredFileChanged
from wellled.settings import s3_storage

pytestmark = pytest.mark.django_db

MINUTES = b"%PDF-1.7\n" + b"Quality committee minutes, March. " * 3000 + b"\n%%EOF\n"


@pytest.fixture
def statement(make_assessment, editor):
    assessment = make_assessment()
    return StatementAssessment.objects.filter(assessment=assessment).order_by("element__order").first()


def _upload(client, statement, content=MINUTES, name="Quality committee minutes.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("statement-evidence", args=[statement.pk]),
        {"title": "", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def _signed_in(person):
    """A browser of its own for a second person (signing in again on one browser keeps the first)."""
    from django.test import Client
    from tests.factories import PASSWORD

    client = Client()
    assert (
        client.post("/accounts/login/", {"username": person.username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def _download(client, item):
    return client.get(reverse("evidence-download", args=[item.pk]))


def test_evidence_uploaded_on_one_machine_downloads_on_another(
    file_store, login, editor, viewer, statement, settings
):
    assert _upload(login(editor), statement).status_code == 302
    item = EvidenceItem.objects.get()
    assert item.sha256 == hashlib.sha256(MINUTES).hexdigest() and item.size == len(MINUTES)
    assert item.file.name.startswith(f"assessments/evidence/{statement.assessment.organisation_id}/")
    audit = AuditLog.objects.filter(content_type__model="evidenceitem").get()
    assert audit.after["sha256"] == item.sha256 and audit.after["file"] == item.file.name
    with file_store.another_machine().open(item.file.name, "rb") as kept:
        assert kept.read() == MINUTES
    # The second web machine: a storage object of its own, built from the same settings.
    settings.STORAGES = {**settings.STORAGES, "default": dict(file_store.config)}
    response = _download(_signed_in(viewer), item)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/pdf" and response["Content-Length"] == str(len(MINUTES))
    assert response["Content-Disposition"] == 'attachment; filename="Quality committee minutes.pdf"'
    assert b"".join(response.streaming_content) == MINUTES


def test_another_trusts_person_never_gets_the_evidence(file_store, login, editor, outsider, statement):
    _upload(login(editor), statement)
    item = EvidenceItem.objects.get()
    response = _download(_signed_in(outsider), item)
    assert response.status_code == 404 and not response.streaming


def test_evidence_changed_in_the_store_is_never_given_as_complete(file_store, login, editor, statement):
    client = login(editor)
    _upload(client, statement)
    item = EvidenceItem.objects.get()
    other = file_store.another_machine()
    other.delete(item.file.name)
    other.save(item.file.name, ContentFile(MINUTES.replace(b"March", b"April")))
    response = _download(client, item)
    with pytest.raises(StoredFileChanged):
        b"".join(response.streaming_content)


def test_evidence_gone_from_the_store_is_not_found(file_store, login, editor, statement):
    client = login(editor)
    _upload(client, statement)
    item = EvidenceItem.objects.get()
    file_store.another_machine().delete(item.file.name)
    assert _download(client, item).status_code == 404


def test_a_store_that_cannot_be_reached_is_said_on_the_page_and_nothing_kept(
    login, editor, statement, settings
):
    endpoint = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_values(endpoint, "wellled-files"))}
    response = _upload(login(editor), statement)
    assert response.status_code == 200
    assert "Wellled&#39;s file store cannot be reached just now" in response.content.decode().replace(
        "&#x27;", "&#39;"
    )
    assert not EvidenceItem.objects.exists()
