"""Documents given with a written answer, through the storage API (ADR 0058), on the local folder and on a real S3
server: uploaded on the answer page, kept with their SHA-256, read back (on another machine) into the frozen answer
and served from it to the body that asked, never to another trust; a document changed or gone from the store is
refused by name, and a store that cannot be reached is said on the page."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.factories import PASSWORD
from tests.file_stores import free_port, s3_values

from wellled.information import services
from wellled.information.models import RequestStatus, WrittenAnswer
from wellled.settings import s3_storage

pytestmark = pytest.mark.django_db

POLICY = b"%PDF-1.7\n" + b"Safeguarding training policy. " * 2000 + b"\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def written(register):
    return register(kind="written", parameters={"topic": "The safeguarding training policy"})


def _signed_in(person) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": person.username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def _answer(client, request, content=POLICY):
    return client.post(
        reverse("information-request-answer", args=[request.pk]),
        {"narrative": "Level 3 for every ward.", "document": SimpleUploadedFile("Policy 2026.pdf", content)},
    )


def test_a_document_kept_on_one_machine_is_given_whole_in_the_answer(
    file_store, written, director, outsider, settings
):
    client = _signed_in(director)
    assert _answer(client, written).status_code == 302
    kept = WrittenAnswer.objects.get()
    assert kept.document_sha256 == hashlib.sha256(POLICY).hexdigest() and kept.document_size == len(POLICY)
    with file_store.another_machine().open(kept.document.name, "rb") as stored:
        assert stored.read() == POLICY
    written.refresh_from_db()
    assert written.status == RequestStatus.ANSWERED
    settings.STORAGES = {**settings.STORAGES, "default": dict(file_store.config)}  # served by another machine
    served = client.get(reverse("information-answer-file", args=[written.answer_id, "pdf"]))
    assert served.status_code == 200 and served.content == POLICY
    assert (
        _signed_in(outsider)
        .get(reverse("information-answer-file", args=[written.answer_id, "pdf"]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("spoil", "said"),
    [("change", "no longer matches its checksum"), ("remove", "is no longer in Wellled's file store")],
)
def test_a_document_changed_or_gone_in_the_store_is_never_passed_on(
    file_store, written, director, spoil, said
):
    document = SimpleUploadedFile("Policy 2026.pdf", POLICY)
    kept = services.written_answer_record(request=written, by=director, narrative="", document=document)
    other = file_store.another_machine()
    other.delete(kept.document.name)
    if spoil == "change":
        other.save(kept.document.name, ContentFile(POLICY.replace(b"training", b"trainings")))
    with pytest.raises(ValidationError) as refused:
        services.answer_produce(request=written, by=director)
    assert refused.value.message_dict["document"] == [f"Policy_2026.pdf {said}: attach it again."]
    written.refresh_from_db()
    assert written.status == RequestStatus.OPEN


def test_a_store_that_cannot_be_reached_is_said_on_the_answer_page(written, director, settings):
    endpoint = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_values(endpoint, "wellled-files"))}
    client = _signed_in(director)
    _answer(client, written)
    page = client.get(reverse("information-request-detail", args=[written.pk])).content.decode()
    assert "file store cannot be reached just now" in page
    assert not WrittenAnswer.objects.exists()
