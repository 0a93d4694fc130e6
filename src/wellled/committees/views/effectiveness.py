"""The annual effectiveness review of a committee (ADR 0063): one page per committee and year showing its answers
beside what Wellled knows of the year; the trust's members read it, its chair and the governance team record it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from wellled.core.view_kit import SignedInRequest, form_page, scope

from ..forms.effectiveness import EffectivenessForm
from ..selectors import effectiveness as selectors
from ..selectors.committees import committee_get
from ..services import effectiveness as services
from ..services.reports import may_report
from .reports import member_require


def effectiveness_review(request: SignedInRequest, pk: int, year: int) -> HttpResponse:
    """The review of one committee for one year: the facts, the answers, and the form for those who record it."""
    member_require(request)
    committee = committee_get(**scope(request), pk=pk)
    questions = selectors.questions()
    review = selectors.review_of(committee, year)
    answers = review.answers if review else {}
    may_write = may_report(request.user, committee)
    initial: dict = {"version": review.version} if review else {}
    for code, answer in answers.items():
        initial[f"rating_{code}"] = answer.get("rating", "")
        initial[f"comment_{code}"] = answer.get("comment", "")
    posted = request.POST if request.method == "POST" else None
    if posted is not None and not may_write:
        raise PermissionDenied("Only the committee's chair or the governance team records its review.")
    form = EffectivenessForm(posted, initial=initial, questions=questions)
    return form_page(
        request,
        form,
        template="committees/effectiveness/review.jinja",
        save=lambda data: services.effectiveness_review_save(
            committee=committee,
            year=year,
            answers=form.answers(),
            by=request.user,
            expected_version=data.get("version"),
        ),
        success_url=reverse("committee-effectiveness", args=[committee.pk, year]),
        message="Effectiveness review saved.",
        context={
            "committee": committee,
            "year": year,
            "facts": selectors.facts(committee, year),
            "rows": [(q, answers.get(q.code, {})) for q in questions],
            "ratings": selectors.RATINGS,
            "review": review,
            "may_write": may_write,
            "today_year": timezone.localdate().year,
            "page_title": f"{committee.name}: effectiveness review {year}",
        },
    )
