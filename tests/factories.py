"""Builders for test data; they go through the services so tests see what users would see."""

from __future__ import annotations

import datetime
import itertools

from wellled.core.choices import Role
from wellled.core.models import DeliveryStatus, Organisation, User
from wellled.core.services import organisation_create, person_create
from wellled.plans import services as plan_services
from wellled.plans.choices import PlanKind, PlanOrganisedBy

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def make_organisation(name: str = "", ods_code: str = "") -> Organisation:
    """An organisation with the default delivery-status scale."""
    n = next(_counter)
    return organisation_create(name=name or f"Test Trust {n}", ods_code=ods_code or f"ZT{n:03d}", by=None)


def make_person(organisation: Organisation, role: str = Role.VIEWER, username: str = "", **fields) -> User:
    """A person with a usable password and a role in the organisation."""
    n = next(_counter)
    username = username or f"{role}{n}"
    fields.setdefault("first_name", role.replace("_", " ").title().split()[0])
    fields.setdefault("last_name", f"Person{n}")
    fields.setdefault("email", f"{username}@example.org")
    return person_create(
        username=username, by=None, organisation=organisation, role=role, password=PASSWORD, **fields
    )


def status(organisation: Organisation, code: str) -> DeliveryStatus:
    """One of the organisation's delivery statuses by code."""
    return DeliveryStatus.objects.get(organisation=organisation, code=code)


def make_plan(
    organisation: Organisation, editor: User, name: str = "", actions: int = 3, lead: User | None = None
):
    """A workstream plan with one section, `actions` actions led by `lead`, and one finding."""
    plan = plan_services.plan_create(
        organisation=organisation,
        by=editor,
        name=name or f"Plan {next(_counter)}",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    section = plan_services.section_create(plan=plan, by=editor, code="W1", title="Leadership capacity")
    finding = plan_services.finding_create(plan=plan, by=editor, text="Leaders were not always visible.")
    for i in range(actions):
        plan_services.action_create(
            plan=plan,
            by=editor,
            reference=f"W1{chr(97 + i)}",
            title=f"Planned action {i + 1}",
            section=section,
            lead=lead,
            success_measure="75 people enrolled",
            due_date=datetime.date(2026, 3, 31),
            findings=[finding] if i == 0 else [],
        )
    return plan


# Helpers for the security and integrity tests (scoping, permissions, concurrency) ---------------------------


def named_url_patterns():
    """Every named URL of the project as (name, route, takes_pk), with includes flattened."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((entry.name, prefix + str(entry.pattern), "pk" in entry.pattern.converters))

    walk(get_resolver().url_patterns, "")
    return found


def urls_with_own_scoping_tests() -> set[str]:
    """URL names whose scoping and permissions are tried in their app's own tests, which list every one of them
    (tests/measures/test_views.py, tests/assessments/test_assessment_views.py, tests/core/test_people_views.py,
    tests/risks/test_views.py, tests/api/test_api_scoping.py, tests/accreditation/test_views.py,
    tests/improvement/test_views.py, tests/reports/test_ipr.py, tests/reports/test_ipr_issued.py,
    tests/oversight/test_views.py, tests/information/test_views.py,
    tests/oversight/portfolio/test_portfolio.py, tests/reports/papers/test_drafts.py, tests/ftsu/test_ftsu_pages.py,
    tests/committees/test_committee_pages.py, tests/committees/test_chair_pages.py,
    tests/committees/test_pack_pages.py)."""
    from django.urls import URLResolver

    from wellled.accreditation.urls import urlpatterns as accreditation_urls
    from wellled.api.page_urls import urlpatterns as api_page_urls
    from wellled.api.urls import urlpatterns as api_urls
    from wellled.assessments.urls import urlpatterns as assessment_urls
    from wellled.committees.urls import urlpatterns as committee_urls
    from wellled.core.people_urls import urlpatterns as people_urls
    from wellled.ftsu.urls import urlpatterns as ftsu_urls
    from wellled.improvement.urls import urlpatterns as improvement_urls
    from wellled.information.urls import urlpatterns as information_urls
    from wellled.measures.urls import urlpatterns as measure_urls
    from wellled.oversight.urls import urlpatterns as oversight_urls
    from wellled.plans.people_urls import urlpatterns as person_action_urls
    from wellled.risks.urls import urlpatterns as risk_urls

    def names(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from names(p.url_patterns)
            elif p.name:
                yield p.name

    performance_report = {
        "ipr",
        "ipr-download",
        "ipr-commentary",
        # issued reports: tests/reports/test_ipr_issued.py
        "ipr-issue",
        "ipr-papers",
        "ipr-paper",
        "ipr-paper-withdraw",
        "ipr-paper-file",
        "ipr-job",
    }
    portfolio = {"oversight-portfolio", "oversight-trajectories", "oversight-portfolio-download"}
    drafts = {
        "paper-draft"
    }  # a draft of any kind, its permission the kind's: tests/reports/papers/test_drafts.py
    apps = [
        *measure_urls,
        *assessment_urls,
        *people_urls,
        *person_action_urls,
        *accreditation_urls,
        *improvement_urls,
        *information_urls,
        *risk_urls,
        *oversight_urls,
        *api_urls,
        *api_page_urls,
        *ftsu_urls,
        *committee_urls,
    ]
    return set(names(apps)) | performance_report | portfolio | drafts


def foundation_url_patterns():
    """Every named URL but those tried in their own app's tests: the plans, core and reports pages."""
    own = urls_with_own_scoping_tests()
    return [entry for entry in named_url_patterns() if entry[0] not in own]


def blank_docx() -> bytes:
    """A Word document with python-docx's default styles, as an uploaded template's bytes."""
    import io

    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def make_plan_objects(plan, editor, lead):
    """One object of every kind an object URL names, all in `plan`: an open cycle and a progress update too."""
    from wellled.core.services import word_template_set
    from wellled.plans.models import Action, Finding, Section
    from wellled.plans.spreadsheet.importer import plan_import_store
    from wellled.plans.spreadsheet.read import SpreadsheetFile
    from wellled.reports.services import paper_job_start

    action = Action.objects.get(plan=plan, reference="W1a")
    cycle = plan_services.cycle_open(
        plan=plan,
        by=editor,
        name="November board",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 25),
    )
    update = plan_services.progress_update_record(
        action=action,
        by=lead,
        narrative="Recruitment under way.",
        status=status(plan.organisation, "A/G"),
        expected_version=None,
    )
    # An issued board paper, through its job (the tests' immediate task backend runs it at once).
    job = paper_job_start(plan=plan, cycle_or_as_at=cycle, by=editor)
    # A spreadsheet uploaded for import and waiting on its preview page.
    pending = plan_import_store(
        organisation=plan.organisation, plan=plan, by=editor, file=SpreadsheetFile("update.csv", IMPORT_CSV)
    )
    # The organisation's Word template for board papers (its download is a page like any other).
    word_template_set(
        organisation=plan.organisation, by=editor, filename="trust-template.docx", content=blank_docx()
    )
    return {
        "plan": plan,
        "section": Section.objects.get(plan=plan),
        "action": Action.objects.get(pk=action.pk),
        "update": update,
        "finding": Finding.objects.get(plan=plan),
        "cycle": cycle,
        "paper": job.paper,
        "job": job,
        "import": pending,
    }


# The object each `<int:pk>` URL names, by URL name; a new object URL must be added here (tests check).
URL_OBJECT_KIND = {
    "plan-detail": "plan",
    "plan-edit": "plan",
    "plan-history": "plan",
    "section-create": "plan",
    "action-create": "plan",
    "finding-create": "plan",
    "cycle-list": "plan",
    "cycle-open": "plan",
    "section-edit": "section",
    "section-history": "section",
    "action-detail": "action",
    "action-edit": "action",
    "action-update": "action",
    "action-timescale": "action",
    "action-state": "action",
    "action-history": "action",
    "update-history": "update",
    "finding-detail": "finding",
    "finding-edit": "finding",
    "finding-history": "finding",
    "cycle-detail": "cycle",
    "cycle-remind": "cycle",
    "cycle-close": "cycle",
    "cycle-history": "cycle",
    "board-paper": "plan",
    "board-paper-download": "plan",
    "paper-list": "plan",
    "paper-issue": "plan",
    "paper-compare": "plan",
    "paper-detail": "paper",
    "paper-withdraw": "paper",
    "paper-file": "paper",
    "paper-job": "job",
    "plan-import": "plan",
    "plan-export": "plan",
    "plan-import-review": "import",
}
# Arguments after the pk, for URLs that take more than the object.
URL_EXTRA_ARGS = {"board-paper-download": ["csv"], "paper-file": ["csv"], "plan-export": ["xlsx"]}
# URLs that answer only one method (405 for the other, before any object is looked up).
URL_POST_ONLY = {"cycle-remind", "cycle-close", "organisation-switch", "word-template-remove"}
URL_GET_ONLY = {
    "board-paper",
    "board-paper-download",
    "paper-list",
    "paper-compare",
    "paper-detail",
    "paper-file",
    "paper-job",
    "plan-export",
}


def url_for(name: str, objects: dict) -> str:
    """The URL `name` filled with the object of `objects` it names (if it names one)."""
    from django.urls import reverse

    kind = URL_OBJECT_KIND.get(name)
    if kind is None:
        return reverse(name)
    return reverse(name, args=[objects[kind].pk, *URL_EXTRA_ARGS.get(name, [])])


def valid_post_data(name: str, objects: dict) -> dict:
    """A form submission that the URL would accept from someone allowed to make it (so a refusal means something)."""
    if name in IMPORT_URLS:
        return import_post_data(name, objects)
    if name == "word-template":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {"file": SimpleUploadedFile("posted-template.docx", blank_docx())}
    obj = objects.get(URL_OBJECT_KIND.get(name, ""))
    version = getattr(obj, "version", 1)
    organisation = objects["plan"].organisation
    data = {
        "plan-create": {
            "name": "Posted plan",
            "kind": PlanKind.IMPROVEMENT,
            "organised_by": PlanOrganisedBy.WORKSTREAM,
        },
        "plan-edit": {
            "name": "Renamed plan",
            "kind": PlanKind.IMPROVEMENT,
            "description": "Posted",
            "version": version,
        },
        "section-create": {"code": "W9", "title": "Posted section"},
        "cycle-remind": {"send": "all"},
        "section-edit": {"code": "W1", "title": "Posted title", "version": version},
        "action-create": {"reference": "Z1", "title": "Posted action", "due_precision": "month"},
        "action-edit": {"reference": "W1a", "title": "Posted title", "version": version},
        "action-update": {
            "narrative": "Posted update",
            "status": status(organisation, "R").pk,
            "update_date": datetime.date.today().isoformat(),  # within the back-dating window, whenever run
            "version": version,
        },
        "action-timescale": {
            "due_date": "2027-01-31",
            "precision": "month",
            "reason": "Posted reason",
            "version": version,
        },
        "action-state": {"state": "closed", "assurance_evidence": "Posted evidence", "version": version},
        "finding-create": {"text": "Posted finding", "finding_type": "must_do", "source": "cqc_inspection"},
        "finding-edit": {
            "text": "Posted finding text",
            "finding_type": "should_do",
            "source": "cqc_inspection",
            "version": version,
        },
        "cycle-open": {
            "name": "Posted cycle",
            "position_as_at": "2027-01-31",
            "update_deadline": "2027-01-20",
        },
        "paper-issue": {"as_at": "2026-11-30"},
        "paper-withdraw": {"reason": "Posted reason"},
    }
    return data.get(name, {"name": "Posted", "text": "Posted", "narrative": "Posted", "version": version})


# A small plan spreadsheet: importing it adds one action (W1d) to the fixtures' plan.
IMPORT_CSV = b"Ref,Planned action,Timescale,Lead,Status\r\nW1d,Imported action,March 2027,,A/G\r\n"
IMPORT_URLS = {"plan-import", "plan-import-new", "plan-import-review"}


def import_post_data(name: str, objects: dict) -> dict:
    """An upload of IMPORT_CSV, or the confirmation of the waiting import's preview (with its fingerprint)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wellled.plans.spreadsheet.importer import plan_import_preview_pending

    if name == "plan-import-review":
        pending = objects["import"]
        return {
            "fingerprint": plan_import_preview_pending(pending=pending, by=pending.uploaded_by).fingerprint
        }
    data = {"file": SimpleUploadedFile("plan.csv", IMPORT_CSV, content_type="text/csv")}
    if name == "plan-import-new":
        data.update(name="Imported plan", kind=PlanKind.IMPROVEMENT)
    return data


def db_state() -> dict:
    """Every row of plan data, people, memberships and the audit log, plus e-mails sent: compare to see a change."""
    from django.core import mail

    from wellled.core.models import AuditLog, Membership, WordTemplate
    from wellled.plans.models import (
        Action,
        Finding,
        Plan,
        ProgressUpdate,
        ReminderSent,
        ReportingCycle,
        Section,
        TimescaleRevision,
    )
    from wellled.reports.models import IssuedPaper, IssuedPaperFile, PaperJob, PaperWithdrawal

    models = [
        AuditLog,
        Membership,
        Plan,
        Section,
        Finding,
        Action,
        TimescaleRevision,
        ProgressUpdate,
        ReportingCycle,
        ReminderSent,
        IssuedPaper,
        IssuedPaperFile,
        PaperJob,
        PaperWithdrawal,
        WordTemplate,
    ]
    state = {
        m.__name__: sorted(
            repr({k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()})
            for row in m.objects.order_by("pk").values()
        )
        for m in models
    }
    state["Action.other_leads"] = sorted(
        Action.other_leads.through.objects.values_list("action_id", "user_id")
    )
    state["Action.findings"] = sorted(Action.findings.through.objects.values_list("action_id", "finding_id"))
    state["mail"] = len(getattr(mail, "outbox", []))
    return state
