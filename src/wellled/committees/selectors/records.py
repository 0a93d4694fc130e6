"""The committee records an information request can be answered from (issue 22, ADR 0063): a committee's current
terms of reference, a meeting's approved minutes (public part only) and a confirmed or issued chair's report. Each
read is the trust's own people's (an oversight body's lent seat sees none of them), through the same selectors as
the pages; a record that cannot be given raises ValidationError naming the field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from wellled.core.models import Organisation, User

from ..choices import ItemPart, MeetingStatus, MinutesStatus
from ..models import AgendaItem, ChairsReport, Committee, Meeting, TermsOfReference
from .committees import committees_for_user
from .meetings import meetings_for_user
from .reports import reports_for_user


def answerable_committees(*, user: User, organisation: Organisation) -> QuerySet[Committee]:
    return committees_for_user(user=user, organisation=organisation).filter(active=True).order_by("name")


def answerable_meetings(*, user: User, organisation: Organisation) -> QuerySet[Meeting]:
    """Held meetings whose minutes are approved: the only minutes a trust gives out."""
    return (
        meetings_for_user(user=user, organisation=organisation)
        .filter(
            status__in=(MeetingStatus.HELD, MeetingStatus.INQUORATE), minutes_status=MinutesStatus.APPROVED
        )
        .order_by("-starts_at")
    )


def current_terms(committee: Committee) -> TermsOfReference | None:
    """The latest version of the committee's terms of reference the board has approved by today."""
    return (
        committee.terms.filter(approved_on__isnull=False, approved_on__lte=timezone.localdate())
        .order_by("-number")
        .first()
    )


def terms_for_answer(*, user: User, organisation: Organisation, pk) -> TermsOfReference:
    committee = answerable_committees(user=user, organisation=organisation).filter(pk=pk).first()
    if committee is None:
        raise ValidationError({"committee": f"Choose one of {organisation.name}'s committees from the list."})
    terms = current_terms(committee)
    if terms is None:
        raise ValidationError(
            {"committee": f"{committee.name} has no terms of reference approved by the board yet."}
        )
    return terms


def minutes_for_answer(*, user: User, organisation: Organisation, pk) -> tuple[Meeting, list[AgendaItem]]:
    """The meeting and its public items with their minutes: the private part is never given in an answer."""
    meeting = meetings_for_user(user=user, organisation=organisation).filter(pk=pk).first()
    if meeting is None:
        raise ValidationError(
            {"meeting": f"Choose a meeting of {organisation.name}'s committees from the list."}
        )
    if meeting.minutes_status != MinutesStatus.APPROVED or meeting.status not in (
        MeetingStatus.HELD,
        MeetingStatus.INQUORATE,
    ):
        raise ValidationError(
            {"meeting": f"The minutes of {meeting} are not approved yet: only approved minutes can be given."}
        )
    items = list(meeting.items.filter(part=ItemPart.PUBLIC).order_by("position"))
    return meeting, items


def report_for_answer(*, user: User, organisation: Organisation, pk) -> ChairsReport:
    report = reports_for_user(user=user, organisation=organisation).filter(pk=pk).first()
    if report is None:
        raise ValidationError(
            {"report": "Choose a chair's report the chair has confirmed or issued, from the list."}
        )
    return report


def report_choices(*, user: User, organisation: Organisation) -> QuerySet[ChairsReport]:
    return reports_for_user(user=user, organisation=organisation)
