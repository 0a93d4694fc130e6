"""Chair's reports, escalation and the BAF by committee (issue 22, ADR 0062): what the board relies on."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from tests.committees.builders import build_board
from tests.factories import make_organisation, make_person

from wellled.committees.choices import AssuranceLevel, EscalationStatus, MeetingStatus, ReportStatus
from wellled.committees.models import AgendaItem, Escalation, Meeting
from wellled.committees.selectors.links import link_proposals, normalise
from wellled.committees.selectors.reports import alert_candidates
from wellled.committees.services.escalations import escalation_raise, escalations_place
from wellled.committees.services.links import risks_link
from wellled.committees.services.reports import chairs_report_issue, chairs_report_save
from wellled.committees.services.risk_reviews import risk_review_record
from wellled.core.choices import AuditAction, Role
from wellled.core.models import AuditLog
from wellled.reports.models import IssuedPaperFile
from wellled.risks import services as risk_services
from wellled.risks.baf_paper import baf_paper_build
from wellled.risks.models import Risk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _risk(org, by, reference, *, committee=None, text="", current=(4, 4), tolerance_category=None):
    objective = risk_services.objective_create(
        organisation=org, by=by, code=f"SO{reference}", title="Safe care", appetite="cautious", tolerance=9
    )
    risk = risk_services.risk_create(
        organisation=org,
        by=by,
        reference=reference,
        title=f"Risk {reference}",
        inherent=(5, 5),
        current=current,
        target=(2, 2),
        opened_on=TODAY - datetime.timedelta(days=200),
    )
    return risk_services.risk_baf_set(
        risk=risk,
        by=by,
        expected_version=risk.version,
        principal=True,
        objective=objective,
        lead_committee=text,
        committee=committee,
    )


def _held(b):
    """The quality committee's meeting, held a week ago; the board meets in a fortnight."""
    b.meeting.starts_at = timezone.now() - datetime.timedelta(days=7)
    b.meeting.status = MeetingStatus.HELD
    b.meeting.save()
    board_meeting = Meeting.objects.create(
        committee=b.board, starts_at=timezone.now() + datetime.timedelta(days=14)
    )
    return board_meeting


# Linking the lead committee texts --------------------------------------------------------------------------------


def test_texts_that_name_the_same_committee_in_different_words_match_it():
    assert normalise("Quality & Safety Cttee") == normalise("Quality and safety committee.")
    assert normalise("The Finance, Perf. Committee") != normalise("People Committee")


def test_the_administrator_confirms_the_links_and_each_is_audited():
    b = build_board()
    admin = make_person(b.org, Role.ADMINISTRATOR)
    b.quality.name = "Quality and Safety Committee"
    b.quality.save()
    one = _risk(b.org, b.governance, "1", text="Quality & Safety Cttee")
    two = _risk(b.org, b.governance, "2", text="quality and safety committee")
    _risk(b.org, b.governance, "3", text="Estates Group")

    proposals = {p.text: p for p in link_proposals(user=admin, organisation=b.org)}
    assert proposals["Quality & Safety Cttee"].committee == b.quality
    assert proposals["Estates Group"].committee is None

    with pytest.raises(PermissionDenied):
        risks_link(organisation=b.org, by=b.governance, chosen={"Estates Group": b.quality})
    linked = risks_link(
        organisation=b.org, by=admin, chosen={p.text: p.committee for p in proposals.values()}
    )

    assert linked == 2
    assert {r.reference for r in Risk.objects.filter(committee=b.quality)} == {"1", "2"}
    assert Risk.objects.get(pk=one.pk).lead_committee == "Quality & Safety Cttee"  # the text is kept
    assert AuditLog.objects.filter(
        object_id=str(two.pk), note__contains="linked to Quality and Safety"
    ).exists()


def test_the_command_lists_matches_and_links_only_with_confirm():
    b = build_board()
    make_person(b.org, Role.ADMINISTRATOR)
    _risk(b.org, b.governance, "1", text="Quality Cttee")
    out = io.StringIO()
    call_command("committees", "link-risks", "--organisation", b.org.ods_code, stdout=out)
    assert "'Quality Cttee' (1 risk) -> Quality Committee" in out.getvalue()
    assert not Risk.objects.filter(committee=b.quality).exists()
    call_command("committees", "link-risks", "--organisation", b.org.ods_code, "--confirm", stdout=out)
    assert Risk.objects.filter(committee=b.quality).count() == 1


def test_another_trusts_committee_cannot_be_chosen():
    b, other = build_board(), build_board()
    admin = make_person(b.org, Role.ADMINISTRATOR)
    _risk(b.org, b.governance, "1", text="Quality")
    with pytest.raises(ValidationError):
        risks_link(organisation=b.org, by=admin, chosen={"Quality": other.quality})


# The BAF by committee ------------------------------------------------------------------------------------------


def test_the_baf_says_who_last_reviewed_a_risk_and_flags_a_cycle_missed():
    b = build_board()  # the quality committee meets monthly: a cycle of 31 days
    reviewed = _risk(b.org, b.governance, "1", committee=b.quality)
    _risk(b.org, b.governance, "2", committee=b.quality)
    _risk(b.org, b.governance, "3")
    risk_review_record(
        committee=b.quality,
        risk=reviewed,
        by=b.governance,
        reviewed_on=TODAY - datetime.timedelta(days=10),
        assurance=AssuranceLevel.REASONABLE,
        deep_dive=True,
    )
    paper = baf_paper_build(user=b.governance, organisation=b.org, as_at=TODAY)
    rows = {r.reference: r for r in paper.principal}
    assert rows["1"].review_text.startswith("Last reviewed by Quality Committee on ")
    assert not rows["1"].review_overdue
    assert (
        rows["2"].review_overdue
        and "not reviewed in its committee's cycle (31 days)" in rows["2"].review_text
    )
    assert rows["1"].lead_committee == "Quality Committee"

    later = baf_paper_build(user=b.governance, organisation=b.org, as_at=TODAY + datetime.timedelta(days=30))
    assert {r.reference: r.review_overdue for r in later.principal}["1"]  # 40 days on: a cycle missed

    mine = baf_paper_build(user=b.governance, organisation=b.org, as_at=TODAY, committee=b.quality)
    assert {r.reference for r in mine.principal} == {"1", "2"}
    assert mine.title.startswith("Board assurance framework for Quality Committee")


def test_a_review_of_a_risk_that_is_not_principal_or_in_the_future_is_refused():
    b = build_board()
    risk = _risk(b.org, b.governance, "1", committee=b.quality)
    with pytest.raises(ValidationError) as refused:
        risk_review_record(
            committee=b.quality,
            risk=risk,
            by=b.governance,
            reviewed_on=TODAY + datetime.timedelta(days=1),
            assurance=AssuranceLevel.LIMITED,
            proposed_likelihood=3,
        )
    assert set(refused.value.message_dict) == {"reviewed_on", "proposed_likelihood"}
    with pytest.raises(PermissionDenied):
        risk_review_record(
            committee=b.quality, risk=risk, by=b.member, reviewed_on=TODAY, assurance=AssuranceLevel.LIMITED
        )


# Chair's reports ---------------------------------------------------------------------------------------------


def test_alert_candidates_are_the_committees_risks_above_tolerance_and_low_assurance_seen_by_the_reader():
    b = build_board()
    _held(b)
    _risk(b.org, b.governance, "1", committee=b.quality, current=(4, 4))  # 16 against a tolerance of 9
    _risk(b.org, b.governance, "2", committee=b.quality, current=(2, 2))  # within tolerance
    _risk(b.org, b.governance, "3", current=(5, 5))  # another committee's (none)
    AgendaItem.objects.filter(pk=b.public_item.pk).update(assurance=AssuranceLevel.LIMITED)
    AgendaItem.objects.filter(pk=b.private_item.pk).update(assurance=AssuranceLevel.NONE)

    seen = {c.text for c in alert_candidates(user=b.chair, meeting=b.meeting)}
    assert any(t.startswith("1 Risk 1: scores 16 against a tolerance of 9") for t in seen)
    assert not any(t.startswith(("2 ", "3 ")) for t in seen)
    assert "Integrated performance report: quality: limited assurance" in seen
    assert any("Serious incident" in t for t in seen)
    outsider_view = {c.text for c in alert_candidates(user=b.outsider, meeting=b.meeting)}
    assert not any("Serious incident" in t for t in outsider_view)  # a private item stays private


def test_the_issued_report_goes_on_the_boards_next_agenda_under_the_committees_name():
    b = build_board()
    board_meeting = _held(b)
    candidates = alert_candidates(user=b.chair, meeting=b.meeting)
    with pytest.raises(PermissionDenied):
        chairs_report_save(meeting=b.meeting, by=b.member, alert="Not the chair")
    report = chairs_report_save(
        meeting=b.meeting,
        by=b.chair,
        alert="Falls rising on two wards.",
        advise="",
        assure="CQC actions on track.",
    )
    with pytest.raises(ValidationError, match="confirms"):
        chairs_report_issue(report=report, by=b.chair)
    report = chairs_report_save(
        meeting=b.meeting,
        by=b.chair,
        expected_version=report.version,
        alert="Falls rising on two wards.",
        assure="CQC actions on track.",
        candidates=candidates,
        confirm=True,
    )
    assert report.status == ReportStatus.CONFIRMED and report.confirmed_by == b.chair

    issued = chairs_report_issue(report=report, by=b.chair)

    report.refresh_from_db()
    assert report.status == ReportStatus.ISSUED and report.issued_paper == issued
    item = board_meeting.items.get()
    assert item.title == "Quality Committee: chair's report"
    assert item.papers.get().issued_paper == issued
    formats = set(IssuedPaperFile.objects.filter(paper=issued).values_list("format", flat=True))
    assert formats == {"pdf", "docx"}
    assert b"%PDF" in IssuedPaperFile.objects.get(paper=issued, format="pdf").content[:8]
    with pytest.raises(ValidationError, match="issued already"):
        chairs_report_issue(report=report, by=b.chair)
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(item.pk)).exists()


def test_a_report_cannot_be_issued_when_the_board_has_no_meeting_planned():
    b = build_board()
    _held(b)
    Meeting.objects.filter(committee=b.board).delete()
    report = chairs_report_save(meeting=b.meeting, by=b.governance, alert="A", confirm=True)
    with pytest.raises(ValidationError, match="Trust Board has no meeting planned"):
        chairs_report_issue(report=report, by=b.governance)


def test_a_planned_meeting_has_no_report_yet():
    b = build_board()
    with pytest.raises(ValidationError, match="not been held"):
        chairs_report_save(meeting=b.meeting, by=b.chair, alert="Too early")


# Escalation -----------------------------------------------------------------------------------------------------


def test_an_item_referred_up_goes_on_the_next_agenda_and_in_the_chairs_report():
    b = build_board()
    board_meeting = _held(b)
    escalation = escalation_raise(
        from_committee=b.quality,
        to_committee=b.board,
        from_item=b.public_item,
        title="Maternity staffing",
        reason="Beyond the committee's delegated authority",
        by=b.chair,
        raised_on=b.meeting.starts_at.date(),
    )
    assert escalation.status == EscalationStatus.ON_AGENDA
    assert escalation.received_item.meeting == board_meeting
    assert escalation.received_item.title == "Referred by Quality Committee: Maternity staffing"
    report = chairs_report_save(meeting=b.meeting, by=b.chair, assure="All well", confirm=True)
    issued = chairs_report_issue(report=report, by=b.chair)
    referred = issued.data["paper"]["referred"]
    assert referred[0]["title"] == "Maternity staffing" and referred[0]["to"] == "Trust Board"


def test_an_item_cannot_be_referred_down_and_waits_when_no_meeting_is_planned():
    b = build_board()
    with pytest.raises(ValidationError, match="neither above"):
        escalation_raise(from_committee=b.quality, to_committee=b.sub, title="x", reason="y", by=b.governance)
    waiting = escalation_raise(
        from_committee=b.sub, to_committee=b.quality, title="Pressure ulcers", reason="Trend", by=b.governance
    )
    assert waiting.status == EscalationStatus.ON_AGENDA  # the quality committee's meeting is planned: placed
    Meeting.objects.filter(committee=b.board).delete()
    later = escalation_raise(
        from_committee=b.quality, to_committee=b.board, title="Estates", reason="Backlog", by=b.governance
    )
    assert later.status == EscalationStatus.RAISED and later.received_item is None
    Meeting.objects.create(committee=b.board, starts_at=timezone.now() + datetime.timedelta(days=30))
    assert escalations_place(committee=b.board, by=b.governance) == 1
    assert Escalation.objects.get(pk=later.pk).status == EscalationStatus.ON_AGENDA


def test_a_private_item_referred_stays_private_on_the_receiving_agenda():
    b = build_board()
    _held(b)
    escalation = escalation_raise(
        from_committee=b.quality,
        to_committee=b.board,
        from_item=b.private_item,
        title="Confidential",
        reason="Board to know",
        by=b.governance,
    )
    assert escalation.received_item.private
    other_trust = make_organisation()
    assert other_trust.pk != b.org.pk
