"""Requests answered with narrative or a document (a PDF or Word file) as well as records: kept through Django's
storage with its SHA-256, frozen into the answer and reused like any other answer (issue 26)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from wellled.information import services
from wellled.information.models import InformationRequest, RequestStatus, WrittenAnswer
from wellled.reports.models import IssuedPaperFile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def written(register):
    def _written(topic="The safeguarding training policy", **more):
        return register(kind="written", parameters={"topic": topic}, **more)

    return _written


def _sheet_text(answer) -> str:
    content = bytes(IssuedPaperFile.objects.get(paper=answer.paper, format="xlsx").content)
    book = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for s in book for row in s.iter_rows() for c in row if c.value is not None)


def test_a_written_answer_with_a_pdf_is_kept_checksummed_frozen_and_given_byte_for_byte(written, director):
    request = written()
    document = SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf")
    outcome = services.answer_produce(
        request=request, by=director, narrative="Every ward completes level 3 training.", document=document
    )
    kept = WrittenAnswer.objects.get()
    assert outcome.answer.written == kept
    assert kept.document_sha256 == hashlib.sha256(PDF).hexdigest() and kept.document_size == len(PDF)
    with kept.document.open("rb") as stored:  # kept through the storage API
        assert stored.read() == PDF
    passed_on = IssuedPaperFile.objects.get(paper=outcome.answer.paper, format="pdf")
    assert bytes(passed_on.content) == PDF and passed_on.sha256 == kept.document_sha256
    text = _sheet_text(outcome.answer)
    assert "Every ward completes level 3 training." in text and kept.document_sha256 in text
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED


def test_the_same_topic_asked_again_reuses_the_written_answer(written, director):
    first = written()
    services.answer_produce(request=first, by=director, narrative="Level 3 for every ward.")
    later = written(topic="  the SAFEGUARDING   training policy ", their_reference="again")
    assert later.fingerprint == first.fingerprint
    first.refresh_from_db()
    outcome = services.answer_share(request=later, answer=first.answer, by=director)
    later.refresh_from_db()
    assert later.status == RequestStatus.ANSWERED and later.answered_by_reuse
    assert outcome.answer.written.narrative == "Level 3 for every ward."


def test_a_written_request_needs_words_or_a_document_and_only_a_pdf_or_word_file(written, director):
    request = written()
    with pytest.raises(ValidationError) as caught:
        services.answer_produce(request=request, by=director)
    assert "narrative" in caught.value.message_dict
    fake = SimpleUploadedFile("policy.pdf", b"MZ not a pdf at all")
    with pytest.raises(ValidationError) as caught:
        services.answer_produce(request=request, by=director, document=fake)
    assert caught.value.message_dict == {"document": ["Attach a PDF (.pdf) or Word (.docx) file."]}
    assert not WrittenAnswer.objects.exists()
    assert InformationRequest.objects.get(pk=request.pk).status == RequestStatus.OPEN


def test_a_document_over_the_limit_is_refused(written, director, monkeypatch):
    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="larger than"):
        services.answer_produce(request=written(), by=director, document=SimpleUploadedFile("a.pdf", PDF))


def test_records_are_answered_with_narrative_before_them(register, director):
    outcome = services.answer_produce(
        request=register(), by=director, narrative="Read with the recovery plan."
    )
    assert "Written answer Answer Read with the recovery plan." in _sheet_text(outcome.answer)


def test_the_answer_button_takes_the_narrative_and_a_word_file_and_a_viewer_cannot(
    login, written, director, region
):
    from tests.factories import make_person

    from wellled.core.choices import Role

    request = written()
    viewer = make_person(region, role=Role.VIEWER, username="regionviewer")
    docx = b"PK\x03\x04" + b"\x00" * 40
    refused = login(viewer).post(
        reverse("information-request-answer", args=[request.pk]), {"narrative": "Nothing here."}
    )
    assert refused.status_code == 403 and not WrittenAnswer.objects.exists()
    login(viewer).logout()
    client = login(director)
    response = client.post(
        reverse("information-request-answer", args=[request.pk]),
        {"narrative": "See the <b>policy</b>.", "document": SimpleUploadedFile("Policy 2026.docx", docx)},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    served = client.get(reverse("information-answer-file", args=[request.answer_id, "docx"]))
    assert served.status_code == 200 and served.content == docx
    page = client.get(reverse("information-request-detail", args=[request.pk])).content.decode()
    assert "Policy_2026.docx" in page
