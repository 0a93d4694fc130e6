"""Papers are issued only for positions already reached, and an issued paper can be withdrawn with a reason: kept,
marked withdrawn, left out of "latest" and comparisons, and audited (ADR 0034)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.reports.paper_data import AS_AT, PREVIOUS_AS_AT

from wellled.core.models import AuditLog
from wellled.reports import selectors, services
from wellled.reports.models import IssuedPaper, PaperWithdrawal

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(paper_plan):
    earlier = services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=PREVIOUS_AS_AT, by=paper_plan.editor)
    later = services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=AS_AT, by=paper_plan.editor)
    return earlier, later


def test_a_paper_cannot_be_issued_for_a_date_after_today(paper_plan):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=tomorrow, by=paper_plan.editor)
    assert "has not been reached yet" in " ".join(caught.value.messages)
    assert not IssuedPaper.objects.exists()
    # Today itself is allowed.
    services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=timezone.localdate(), by=paper_plan.editor)


def test_the_issue_page_refuses_a_future_date_with_the_reason(paper_plan, login):
    client = login(paper_plan.editor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(reverse("paper-issue", args=[paper_plan.plan.pk]), {"as_at": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "has not been reached yet" in response.content.decode()
    assert not IssuedPaper.objects.exists()


def test_withdrawing_keeps_the_paper_marks_it_and_audits_it(paper_plan, papers, org):
    earlier, later = papers
    withdrawal = services.paper_withdraw(
        paper=later, by=paper_plan.editor, reason="Issued before two updates came in."
    )
    assert IssuedPaper.objects.filter(pk=later.pk).exists()  # kept
    assert IssuedPaper.objects.get(pk=later.pk).withdrawn == withdrawal
    record = AuditLog.objects.get(content_type__model="paperwithdrawal", object_id=str(withdrawal.pk))
    assert record.actor == paper_plan.editor and record.organisation == org
    assert record.after["reason"] == "Issued before two updates came in."
    # Left out of "latest" and of comparisons; still listed among past papers.
    scope = {"user": paper_plan.viewer, "organisation": org, "plan": paper_plan.plan}
    assert list(selectors.current_papers(**scope)) == [earlier]
    assert [p.pk for p in selectors.issued_papers(**scope)] == [later.pk, earlier.pk]
    assert selectors.papers_compare(**scope) is None  # only one paper stands


def test_withdrawing_needs_a_reason_the_role_and_happens_once(paper_plan, papers):
    _, later = papers
    with pytest.raises(ValidationError):
        services.paper_withdraw(paper=later, by=paper_plan.editor, reason="  ")
    with pytest.raises(PermissionDenied):
        services.paper_withdraw(paper=later, by=paper_plan.viewer, reason="Wrong")
    services.paper_withdraw(paper=later, by=paper_plan.editor, reason="Wrong date")
    with pytest.raises(ValidationError):
        services.paper_withdraw(paper=later, by=paper_plan.editor, reason="Again")
    assert PaperWithdrawal.objects.count() == 1
    with pytest.raises(PermissionError):
        PaperWithdrawal.objects.get().delete()


def test_the_withdrawn_paper_page_says_why_and_compare_leaves_it_out(paper_plan, papers, login):
    earlier, later = papers
    client = login(paper_plan.editor)
    response = client.post(reverse("paper-withdraw", args=[later.pk]), {"reason": "Figures were wrong."})
    assert response.status_code == 302
    page = client.get(reverse("paper-detail", args=[later.pk])).content.decode()
    assert "Withdrawn" in page and "Figures were wrong." in page
    compare = client.get(
        reverse("paper-compare", args=[paper_plan.plan.pk]), {"before": earlier.pk, "after": later.pk}
    )
    assert compare.status_code == 404
