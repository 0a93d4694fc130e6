"""Every page of the cycle of business, papers and packs, for every role (issue 22, ADR 0057): the governance team
works them; leads and viewers read; a non-member never sees a private item, its paper or the full pack; another
trust's administrator finds nothing; an oversight body sees issued public packs only; refused posts change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.committees.builders import build_board
from tests.committees.pack_files import pdf_pages
from tests.factories import PASSWORD, make_organisation, make_person

from wellled.committees.choices import CycleStatus, Recurrence
from wellled.committees.jobs import pack_request
from wellled.committees.models import AgendaItem, CycleEntry, CycleItem, MeetingPack, Paper
from wellled.committees.services.cycle import cycle_item_create, cycle_year_plan
from wellled.committees.services.papers import paper_upload
from wellled.committees.urls import urlpatterns
from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add

pytestmark = pytest.mark.django_db

PRIVATE_TITLE = "Serious incident: confidential briefing"
PRIVATE_PAPER = "Incident chronology"
# name -> the object it takes ("" for none)
PAGES = {
    "committee-cycle-index": "",
    "committee-cycle": "committee",
    "committee-cycle-year-end": "committee",
    "committee-meeting-papers": "meeting",
    "committee-paper-file": "private_paper",
    "committee-pack-detail": "full_pack",
}
MANAGE_PAGES = {
    "committee-cycle-item-create": "committee",
    "committee-cycle-item-edit": "cycle_item",
    "committee-cycle-entry-defer": "entry",
    "committee-paper-create": "public_item",
    "committee-paper-edit": "public_paper",
}
POSTS = {
    "committee-cycle-plan": "committee",
    "committee-agenda-draft": "meeting",
    "committee-cycle-held": "meeting",
    "committee-paper-remove": "public_paper",
    "committee-pack-create": "meeting",
}
FILES = {"committee-pack-file"}
MINE = set(PAGES) | set(MANAGE_PAGES) | set(POSTS) | FILES


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    b = build_board()
    cycle_item = cycle_item_create(
        committee=b.quality,
        by=b.governance,
        title="Quality account",
        recurrence=Recurrence.ANNUAL,
        months=[6],
    )
    cycle_item_create(
        committee=b.quality, by=b.governance, title="IPR: quality", recurrence=Recurrence.EVERY_MEETING
    )
    cycle_year_plan(committee=b.quality, year=2026, by=b.governance)
    entry = CycleEntry.objects.filter(cycle_item__committee=b.quality).first()
    public_paper = paper_upload(
        item=b.public_item,
        upload=SimpleUploadedFile("ipr.pdf", pdf_pages("Open figures", 1)),
        by=b.governance,
    )
    private_paper = paper_upload(
        item=b.private_item,
        upload=SimpleUploadedFile("si.pdf", pdf_pages("Secret chronology", 1)),
        by=b.governance,
        title=PRIVATE_PAPER,
    )
    full_pack = pack_request(meeting=b.meeting, public=False, by=b.governance)
    public_pack = pack_request(meeting=b.meeting, public=True, by=b.governance)
    region = organisation_create(
        name="Test Region", ods_code="ZR077", by=None, kind=OrganisationKind.OVERSIGHT
    )
    portfolio_trust_add(oversight_body=region, trust=b.org, by=None, joined_on=datetime.date(2024, 1, 1))
    people = {
        "administrator": make_person(b.org, Role.ADMINISTRATOR),
        "governance": b.governance,
        "lead, non-member": make_person(b.org, Role.LEAD),
        "viewer, non-member": b.outsider,
        "member (lead)": b.member,
        "chair (viewer)": b.chair,
        "other trust's administrator": make_person(make_organisation(), Role.ADMINISTRATOR),
        "oversight body": make_person(region, Role.ADMINISTRATOR),
    }
    objects = {
        "committee": b.quality,
        "meeting": b.meeting,
        "cycle_item": cycle_item,
        "entry": entry,
        "public_item": b.public_item,
        "public_paper": public_paper,
        "private_paper": private_paper,
        "full_pack": full_pack,
        "public_pack": public_pack,
    }
    return b, people, objects, region


def _url(name: str, kind: str, objects) -> str:
    return reverse(name, args=[objects[kind].pk]) if kind else reverse(name)


def _client(person, trust=None) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": person.username, "password": PASSWORD}).status_code
        == 302
    )
    if trust is not None:  # an oversight body's person working in the trust its portfolio lends it
        session = client.session
        session["wellled_organisation_id"] = trust.pk
        session.save()
    return client


def _state():
    return (
        sorted(CycleEntry.objects.values_list("pk", "status", "version")),
        sorted(CycleItem.objects.values_list("pk", "version")),
        sorted(AgendaItem.objects.values_list("pk", "title")),
        sorted(Paper.objects.values_list("pk", "version")),
        MeetingPack.objects.count(),
    )


def test_every_cycle_and_pack_url_is_listed_here():
    named = {p.name for p in urlpatterns}
    assert named >= MINE
    assert {n for n in named if "cycle" in n or "pack" in n or "paper" in n or "draft" in n} == MINE


def test_signed_out_people_are_sent_to_sign_in(world):
    b, people, objects, region = world
    client = Client()
    for name, kind in {**PAGES, **MANAGE_PAGES}.items():
        response = client.get(_url(name, kind, objects))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


# What each person gets from each page: 200 (and whether the private part shows), 403 or 404.
EXPECTED = {
    "administrator": ("ok", True, 200),
    "governance": ("ok", True, 200),
    "lead, non-member": ("ok", False, 403),
    "viewer, non-member": ("ok", False, 403),
    "member (lead)": ("ok", True, 403),
    "chair (viewer)": ("ok", True, 403),
    "other trust's administrator": ("404", False, 404),
    "oversight body": ("404", False, 403),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_gets_what_its_place_allows_and_a_non_member_never_a_private_item(world, who):
    b, people, objects, region = world
    reads, sees_private, manage = EXPECTED[who]
    person = people[who]
    client = _client(person, b.org if who == "oversight body" else None)
    before = _state()
    for name, kind in PAGES.items():
        response = client.get(_url(name, kind, objects))
        if name in {"committee-paper-file", "committee-pack-detail"} and reads == "ok":
            assert response.status_code == (200 if sees_private else 404), (who, name)
            continue
        if name == "committee-cycle-index" and who == "other trust's administrator":
            assert response.status_code == 200 and b"Quality Committee" not in response.content
            continue
        assert response.status_code == (200 if reads == "ok" else 404), (who, name, response.status_code)
        if response.status_code == 200 and name == "committee-meeting-papers":
            page = response.content.decode()
            assert "Integrated performance report: quality" in page
            assert (PRIVATE_TITLE in page) is sees_private and (PRIVATE_PAPER in page) is sees_private
    for name, kind in MANAGE_PAGES.items():
        assert client.get(_url(name, kind, objects)).status_code == manage, (who, name)
    if manage != 200:
        for name, kind in POSTS.items():
            assert client.post(_url(name, kind, objects), {"public": "1"}).status_code in (403, 404), (
                who,
                name,
            )
            assert client.get(_url(name, kind, objects)).status_code == 405
        assert _state() == before
    public = client.get(reverse("committee-pack-file", args=[objects["public_pack"].pk, "pdf"]))
    full = client.get(reverse("committee-pack-file", args=[objects["full_pack"].pk, "pdf"]))
    if who == "other trust's administrator":
        assert public.status_code == 404 and full.status_code == 404
    else:  # an oversight body, like any of the trust's people, reads the issued public pack
        assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
        assert full.status_code == (200 if sees_private else 404), who


def test_the_governance_editor_builds_the_agenda_adds_a_paper_and_issues_the_pack_on_the_pages(world):
    b, people, objects, region = world
    client = _client(b.governance)
    meeting = b.meeting
    month = meeting.starts_at.date().replace(day=1)
    CycleItem.objects.create(committee=b.quality, title="Maternity safety report", recurrence="every")
    response = client.post(
        reverse("committee-cycle-plan", args=[b.quality.pk]), {"year": month.year - (month.month < 4)}
    )
    assert response.status_code == 302
    response = client.post(reverse("committee-agenda-draft", args=[meeting.pk]), follow=True)
    page = response.content.decode()
    assert "put on the agenda" in page and "Maternity safety report" in page
    item = AgendaItem.objects.get(meeting=meeting, title="Maternity safety report")
    assert CycleEntry.objects.get(agenda_item=item).status == CycleStatus.ON_AGENDA
    response = client.post(
        reverse("committee-paper-create", args=[item.pk]),
        {
            "source": "upload",
            "file": SimpleUploadedFile("m.pdf", pdf_pages("Maternity", 2)),
            "summary": "<b>x</b>",
        },
        follow=True,
    )
    assert "Paper added" in response.content.decode()
    refused = client.post(
        reverse("committee-paper-create", args=[item.pk]),
        {"source": "upload", "file": SimpleUploadedFile("m.txt", b"hello")},
    )
    assert "Upload a PDF or a Word (.docx) file" in refused.content.decode()
    response = client.post(reverse("committee-pack-create", args=[meeting.pk]))
    assert response.status_code == 302
    pack = MeetingPack.objects.latest("pk")
    page = client.get(response["Location"]).content.decode()
    assert "The pack is issued" in page and "Download the PDF pack" in page
    assert client.get(reverse("committee-pack-file", args=[pack.pk, "docx"])).status_code == 200
    assert pack.job.paper.files.get(format="pdf").sha256 in page
    assert client.get(reverse("committee-pack-file", args=[pack.pk, "xlsx"])).status_code == 404


def test_an_item_takes_a_paper_the_trust_has_already_issued_but_never_another_trusts(world):
    from django.utils import timezone

    from wellled.reports.papers.kind import PaperRequest
    from wellled.reports.papers.pipeline import issue

    b, people, objects, region = world
    baf = issue("baf", PaperRequest(organisation=b.org, by=b.governance, as_at=timezone.localdate()))
    elsewhere = build_board()
    theirs = issue(
        "baf", PaperRequest(organisation=elsewhere.org, by=elsewhere.governance, as_at=timezone.localdate())
    )
    client = _client(b.governance)
    url = reverse("committee-paper-create", args=[b.public_item.pk])
    assert baf.title in client.get(url).content.decode()
    refused = client.post(url, {"source": "wellled", "issued": theirs.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    response = client.post(url, {"source": "wellled", "issued": baf.pk, "summary": "As issued."})
    assert response.status_code == 302
    assert Paper.objects.get(item=b.public_item, issued_paper=baf).summary == "As issued."
