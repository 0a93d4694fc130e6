"""Confidential by design (ADR 0054): only a guardian of the case's organisation reads a case; a copy of the
database and the audit log hold no name, contact details or concern text; every reading is kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from wellled.core.models import AuditLog
from wellled.ftsu import selectors, services
from wellled.ftsu.models import Case

from .conftest import CONCERN, EMAIL, NAME

pytestmark = pytest.mark.django_db


def test_only_the_guardian_reads_cases(org, people, guardian, champion, case):
    assert [c.pk for c in selectors.cases_for_user(user=guardian, organisation=org)] == [case.pk]
    page = selectors.case_page(user=guardian, organisation=org, pk=case.pk)
    assert (page.name, page.contact_details, page.concern) == (NAME, EMAIL, CONCERN)
    for person in [*people.values(), champion]:
        with pytest.raises(Http404):
            selectors.cases_for_user(user=person, organisation=org)
        with pytest.raises(Http404):
            selectors.case_page(user=person, organisation=org, pk=case.pk)


def test_another_trusts_guardian_finds_nothing(org, other_org, other_guardian, case):
    assert selectors.cases_for_user(user=other_guardian, organisation=other_org) == []
    with pytest.raises(Http404):
        selectors.case_get(user=other_guardian, organisation=other_org, pk=case.pk)
    with pytest.raises(Http404):  # naming the case's own organisation does not help: not their membership
        selectors.case_get(user=other_guardian, organisation=org, pk=case.pk)


def test_a_leaver_guardian_reads_nothing(org, guardian, case):
    from wellled.core.access import current_memberships

    current_memberships(user=guardian, organisation=org).update(active=False)
    with pytest.raises(Http404):
        selectors.case_get(user=guardian, organisation=org, pk=case.pk)


def test_only_an_administrator_appoints_and_nobody_else_writes(org, people, guardian, case):
    with pytest.raises(PermissionDenied):
        services.speak_up_role_set(
            organisation=org, person=people["lead"], role="guardian", by=people["governance_editor"]
        )
    for (
        person
    ) in people.values():  # administrators included: the role is the guardian's, not the organisation's
        with pytest.raises(Http404):
            services.contact_add(case=case, by=person, on=datetime.date(2024, 5, 15), kind="note", text="x")
        with pytest.raises(PermissionDenied):
            services.case_create(
                organisation=org,
                by=person,
                received_on=datetime.date(2024, 5, 1),
                route="phone",
                openness="open",
                concern="x",
            )


def test_the_database_holds_no_plain_name_email_or_concern(org, guardian, case):
    services.contact_add(
        case=case, by=guardian, on=datetime.date(2024, 5, 20), kind="meeting", text=f"Met {NAME} again"
    )
    services.action_add(
        case=case, by=guardian, taken_on=datetime.date(2024, 5, 21), description=CONCERN, taken_by=NAME
    )
    services.confidentiality_break(case=case, by=guardian, reason=f"Risk to {NAME}", told="Safeguarding lead")
    needles = [NAME.split()[1].lower(), EMAIL.lower(), "marigold"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            if connection.vendor == "postgresql"
            else "SELECT name FROM sqlite_master WHERE type='table'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        found = []
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - the tables' own names
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row).lower()
                found += [(table, n) for n in needles if n in text]
    assert found == []


def test_an_anonymous_case_has_no_identity(org, guardian):
    case = services.case_create(
        organisation=org,
        by=guardian,
        received_on=datetime.date(2024, 6, 1),
        route="phone",
        openness="anonymous",
        concern="Rotas published late",
    )
    assert case.identity_sealed == ""
    with pytest.raises(ValidationError) as refused:
        services.case_create(
            organisation=org,
            by=guardian,
            received_on=datetime.date(2024, 6, 1),
            route="phone",
            openness="anonymous",
            concern="Rotas",
            name="Someone",
        )
    assert "name" in refused.value.message_dict


def test_the_audit_log_says_a_case_changed_never_what(org, guardian, case):
    services.case_update(
        case=case, by=guardian, expected_version=case.version, changes={"concern": "New words here"}
    )
    records = AuditLog.objects.filter(object_id=str(case.pk), content_type__model="case")
    assert records.count() == 2
    for record in records:
        text = f"{record.before} {record.after} {record.object_repr} {record.note}".lower()
        assert "marigold" not in text and "new words" not in text and "quillfeather" not in text
    assert records.first().after["changed"] in (["case"], ["concern"])


def test_every_reading_is_kept_and_shown_to_the_guardian(org, guardian, case):
    services.case_read(case=case, by=guardian)
    services.case_read(case=case, by=guardian)
    page = selectors.case_page(user=guardian, organisation=org, pk=case.pk)
    assert len(page.readings) == 2 and page.readings[0].reader == guardian.get_full_name()


def test_breaking_confidentiality_needs_a_reason_and_is_audited(org, guardian, case):
    with pytest.raises(ValidationError):
        services.confidentiality_break(case=case, by=guardian, reason="", told="Police")
    services.confidentiality_break(
        case=case, by=guardian, reason="Immediate risk of harm", told="Safeguarding lead"
    )
    assert AuditLog.objects.filter(object_id=str(case.pk), note="Confidentiality broken").exists()
    assert (
        selectors.case_page(user=guardian, organisation=org, pk=case.pk).breaks[0].reason
        == "Immediate risk of harm"
    )


def test_a_champion_sees_only_the_contacts_they_recorded(org, guardian, champion):
    services.case_create(
        organisation=org,
        by=champion,
        received_on=datetime.date(2024, 7, 2),
        route="in_person",
        openness="confidential",
        concern="Raised with me at the staff forum",
    )
    other = services.case_create(
        organisation=org,
        by=guardian,
        received_on=datetime.date(2024, 7, 3),
        route="phone",
        openness="open",
        concern="Not the champion's",
    )
    services.contact_add(
        case=other, by=guardian, on=datetime.date(2024, 7, 4), kind="note", text="Guardian only"
    )
    seen = selectors.contacts_for_champion(user=champion, organisation=org)
    assert [c.text for c in seen] == ["Raised with me at the staff forum"]
    assert Case.objects.get(reference=seen[0].reference).route == "champion"


def test_a_stale_edit_is_refused(guardian, case):
    from wellled.core.service_kit import ConcurrentEditError

    services.case_update(case=case, by=guardian, expected_version=case.version, changes={"area": "Medicine"})
    with pytest.raises(ConcurrentEditError):
        services.case_update(
            case=case, by=guardian, expected_version=case.version, changes={"area": "Theatres"}
        )
