"""Every paper kind issues for the demo's own trusts, through the one pipeline (issue 21): the board paper, the BAF,
the integrated performance report (whose ward accreditation measures have too few points for process limits) and
the answer to an information request. Each issued file is stored with its checksum and opens."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from wellled.core.choices import Role
from wellled.core.models import Membership
from wellled.demo.plans import DEMO_ODS_CODE, SECOND_ODS_CODE, demo_plan
from wellled.demo.steps import demo_run
from wellled.information.models import InformationRequest, RequestStatus
from wellled.information.services import answer_produce
from wellled.reports.ipr.kind import ipr_issue
from wellled.reports.services import paper_issue
from wellled.risks.models import Risk
from wellled.risks.paper_kind import baf_paper_issue

pytestmark = pytest.mark.django_db

ISSUERS = (Role.ADMINISTRATOR, Role.GOVERNANCE_EDITOR)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _issuer(organisation):
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=ISSUERS, active=True)
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    assert membership is not None, f"the demo gives {organisation} no one who may issue papers"
    return membership.user


def _opens(issued) -> None:
    """Each stored file is whole (its checksum holds) and opens in the program it is for."""
    assert issued.files.exists()
    for stored in issued.files.all():
        content = bytes(stored.content)
        assert content, stored.format
        if stored.format == "pdf":
            assert len(PdfReader(io.BytesIO(content)).pages) >= 1
        elif stored.format == "docx":
            assert Document(io.BytesIO(content)).paragraphs


def test_every_paper_kind_issues_for_the_demo_trusts():
    demo_run()
    today = timezone.localdate()
    for ods_code in (DEMO_ODS_CODE, SECOND_ODS_CODE):
        plan = demo_plan(ods_code)
        organisation = plan.organisation
        by = _issuer(organisation)
        _opens(paper_issue(plan=plan, cycle_or_as_at=today, by=by))
        _opens(ipr_issue(organisation=organisation, as_at=today, by=by))
        if Risk.objects.filter(organisation=organisation).exists():
            _opens(baf_paper_issue(organisation=organisation, as_at=today, by=by))
    open_requests = InformationRequest.objects.filter(status=RequestStatus.OPEN).select_related(
        "organisation"
    )
    assert open_requests.exists(), "the demo keeps open information requests to answer"
    request = open_requests.first()
    answer_produce(request=request, by=_issuer(request.organisation))
    request.refresh_from_db()
    assert request.status != RequestStatus.OPEN
