"""An answer to an information request as a paper kind: what Wellled holds that answers it, as at the date asked,
frozen and issued through the one paper pipeline of reports (IssuedPaper of kind 'answer'; ADRs 0041, 0043)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.stored_files import FileStoreUnreachable, StoredFileChanged, stored_read
from wellled.reports.models import IssuedPaperFile
from wellled.reports.models import PaperKind as KindChoice
from wellled.reports.papers.kind import PaperRequest, RenderContext, SubjectPaperKind

from .answer import AnswerPaper, answer_build
from .models import InformationRequest
from .render import FORMATS, filename, render
from .selectors import request_get, written_pending


def write_permission(organisation: Organisation) -> Permission:
    """Who may keep a register: an oversight body's managers of oversight; a trust's plan managers."""
    return Permission.MANAGE_OVERSIGHT if organisation.is_oversight_body else Permission.MANAGE_PLANS


class AnswerKind(SubjectPaperKind):
    """The request answered is the paper's subject; its date is the one its parameters ask for."""

    key = KindChoice.ANSWER.value
    label = KindChoice.ANSWER.label
    paper_class = AnswerPaper
    formats = FORMATS
    read_label = "Reading what was asked for"
    store_label = "Storing the answer"

    def issue_permission(self, organisation: Organisation) -> Permission:
        return write_permission(organisation)

    def subject(
        self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]
    ) -> InformationRequest:
        """`request`: the request's id in the organisation's register (another register's request is a 404). The
        draft is what answering it now would give, drawn from today's records."""
        asked = str(parameters.get("request", ""))
        if not asked.isdigit():
            raise ValidationError({"request": "Name the request whose answer to draft."})
        return request_get(user=by, organisation=organisation, pk=int(asked))

    def build(self, request: PaperRequest) -> AnswerPaper:
        asked = request.subject
        return answer_build(
            user=request.by,
            answering=request.organisation,
            subject=asked.subject,
            kind=asked.kind,
            parameters=asked.parameters,
            written=written_pending(request=asked),
        )

    def render(self, paper: AnswerPaper, fmt: str, context: RenderContext) -> bytes:
        return render(paper, fmt)

    def filename(self, paper: AnswerPaper, fmt: str) -> str:
        return filename(paper, fmt)

    def counts(self, paper: AnswerPaper) -> list[dict[str, Any]]:
        return [{"code": paper.kind, "label": paper.kind_label, "count": paper.total}]

    def note(self, paper: AnswerPaper, request: PaperRequest) -> str:
        return f"Answer produced for the request from {request.subject.body_name}: {paper.asked_for}"

    def extra_files(self, paper: AnswerPaper, request: PaperRequest) -> list[tuple[str, str, bytes]]:
        """The issued paper asked for, and the document given with a written answer, travel with the answer byte
        for byte (a document that no longer matches its SHA-256 is refused, not passed on)."""
        files = []
        written = written_pending(request=request.subject)
        if written is not None and written.document_name:
            try:
                content = stored_read(
                    written.document, sha256=written.document_sha256, label=written.document_name
                )
            except StoredFileChanged:
                raise ValidationError(
                    {"document": f"{written.document_name} no longer matches its checksum: attach it again."}
                ) from None
            except FileNotFoundError:
                raise ValidationError(
                    {
                        "document": f"{written.document_name} is no longer in Wellled's file store: attach it again."
                    }
                ) from None
            except FileStoreUnreachable as exc:
                raise ValidationError({"document": str(exc)}) from exc
            files.append((written.document_format, written.document_name, content))
        if paper.paper_id is None:
            return files
        source = IssuedPaperFile.objects.filter(paper_id=paper.paper_id, format="pdf").first()
        if source is None or not source.intact:
            return files
        return [*files, ("pdf", source.filename, bytes(source.content))]


ANSWER = AnswerKind()
