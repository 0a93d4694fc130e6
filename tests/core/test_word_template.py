"""A trust uploads its own Word template: the board paper in Word then uses its styles; bad files are refused
with a clear message and nothing stored; viewers cannot change it; another organisation never sees it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.shared import Pt, RGBColor
from tests.factories import make_plan

from wellled.core.models import AuditLog, WordTemplate

pytestmark = pytest.mark.django_db
TRUST_FONT = "Georgia"


def trust_template() -> bytes:
    """A template whose body style is the trust's own: Georgia, 11 pt, dark red."""
    document = Document()
    body = document.styles.add_style("Board Paper Body", 1)
    body.font.name = TRUST_FONT
    body.font.size = Pt(11)
    body.font.color.rgb = RGBColor(0x8A, 0x15, 0x38)
    document.sections[0].header.paragraphs[0].text = "Northmoor board papers"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def padded_template(padding_bytes: int) -> bytes:
    """A real template with an extra part of zeros: a few kilobytes uploaded, padding_bytes once unzipped."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(trust_template())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("word/media/padding.bin", "w", force_zip64=True) as part:
            for _ in range(padding_bytes // 1_000_000):
                part.write(b"\0" * 1_000_000)
    return out.getvalue()


def signed_in(user):
    """A client of its own for one person (the shared `login` client keeps its first sign-in)."""
    client = Client()
    client.force_login(user)
    return client


def upload(client, name: str, content: bytes):
    return client.post(reverse("word-template"), {"file": SimpleUploadedFile(name, content)})


def test_an_editor_uploads_a_template_and_the_word_paper_uses_its_styles(login, org, editor, lead):
    plan = make_plan(org, editor, lead=lead)
    client = login(editor)
    response = upload(client, "northmoor.docx", trust_template())
    assert response.status_code == 302
    stored = WordTemplate.objects.get(organisation=org)
    assert stored.filename == "northmoor.docx" and stored.uploaded_by == editor
    record = AuditLog.objects.get(content_type__model="wordtemplate")
    assert (
        record.actor == editor and record.after["sha256"] == stored.sha256 and "content" not in record.after
    )

    paper = client.get(reverse("board-paper-download", args=[plan.pk, "docx"]))
    document = Document(io.BytesIO(paper.content))
    assert document.styles["Board Paper Body"].font.name == TRUST_FONT
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert header[0].startswith("DRAFT: not issued")  # downloaded without issuing: a draft (issue 27)
    assert header[1] == "Northmoor board papers"  # the trust's own header is kept, ours follows it
    assert any(text.startswith("Northmoor Test Trust (ZNT01)") for text in header[2:])
    assert any(p.text.startswith("Position as at") for p in document.paragraphs)

    page = client.get(reverse("organisation-detail")).content.decode()
    assert "northmoor.docx" in page
    client.post(reverse("word-template-remove"))
    assert not WordTemplate.objects.filter(organisation=org).exists()
    plain = Document(io.BytesIO(client.get(reverse("board-paper-download", args=[plan.pk, "docx"])).content))
    assert plain.styles["Board Paper Body"].font.name != TRUST_FONT


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.pdf", b"%PDF-1.7 not a template", "is not a Word document: upload a .docx file"),
        (
            "old.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "password-protected or in the old .doc format",
        ),
        ("broken.docx", trust_template()[:400], "could not be read as a Word document"),
        ("huge.docx", b"PK" + b"\0" * (5 * 1024 * 1024 + 10), "a template can be at most 5 MB"),
        ("bomb.docx", padded_template(30_000_000), "unpacks to more than 25 MB"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(
    login, org, editor, name, content, message
):
    client = login(editor)
    before = AuditLog.objects.count()
    response = upload(client, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WordTemplate.objects.exists() and AuditLog.objects.count() == before


def test_viewers_cannot_upload_or_remove_and_other_organisations_never_see_it(
    login, org, editor, viewer, outsider
):
    upload(login(editor), "northmoor.docx", trust_template())
    viewer_client = signed_in(viewer)
    assert upload(viewer_client, "mine.docx", trust_template()).status_code == 403
    assert viewer_client.post(reverse("word-template-remove")).status_code == 403
    assert WordTemplate.objects.get(organisation=org).filename == "northmoor.docx"
    assert viewer_client.get(reverse("word-template-download")).status_code == 200

    outside = signed_in(outsider)
    assert outside.get(reverse("word-template-download")).status_code == 404
    assert "northmoor.docx" not in outside.get(reverse("organisation-detail")).content.decode()
