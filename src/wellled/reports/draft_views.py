"""Drafts of any paper kind as files: built and marked "Draft" on every page, never stored (issue 27). One view
for every kind (the kind reads its parameters and checks who may have it); the board paper's and the performance
report's own download addresses come here too."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wellled.core.view_kit import SignedInRequest

from .paper_errors import PaperNotProduced
from .papers.draft import DraftFormatUnknown, draft_produce, draft_request
from .papers.registry import UnknownPaperKind, kind_get


def draft_url(kind: str, fmt: str, **parameters: object) -> str:
    """The address of a draft of a kind in a format, with its parameters (plan=, request=, as_at=)."""
    query = QueryDict(mutable=True)
    query.update({name: str(value) for name, value in parameters.items() if value not in (None, "")})
    return reverse("paper-draft", args=[kind, fmt]) + (f"?{query.urlencode()}" if query else "")


def draft_download(request: SignedInRequest, kind: str, fmt: str, parameters: QueryDict) -> HttpResponse:
    """A draft of the kind as a file: the kind reads its parameters and checks who may have it."""
    try:
        label = kind_get(kind).label
        asked = draft_request(kind, organisation=request.organisation, by=request.user, parameters=parameters)
        draft = draft_produce(kind, fmt, asked)
    except (UnknownPaperKind, DraftFormatUnknown) as exc:
        raise Http404(str(exc)) from None
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    except PaperNotProduced as exc:  # names the record and the text to shorten (ADR 0044)
        return render(
            request,
            "reports/paper_not_produced.jinja",
            {
                "label": label,
                "reason": str(exc),
                "plan_pk": getattr(asked.subject, "pk", None) if kind == "board" else None,
                "page_title": f"The {label.lower()} could not be produced",
            },
            status=422,
        )
    response = HttpResponse(draft.content, content_type=draft.content_type)
    response["Content-Disposition"] = f'attachment; filename="{draft.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # a draft is today's records: never served from a cache
    return response


@require_GET
def paper_draft(request: SignedInRequest, kind: str, fmt: str) -> HttpResponse:
    """A draft of any registered kind (?plan=, ?request=, ?as_at= as the kind asks)."""
    return draft_download(request, kind, fmt, request.GET)
