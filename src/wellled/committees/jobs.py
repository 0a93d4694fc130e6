"""Building a meeting pack in the background (ADR 0057): asking queues a reports PaperJob of kind `pack`, linked
from a MeetingPack row; the worker issues it through the one pipeline (reports.papers.jobs.paper_job_run) and then
sends the committee's members a link by e-mail. The pack's page shows the job's progress."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wellled.core.formatting import long_date
from wellled.core.models import User
from wellled.core.permissions import Permission
from wellled.core.service_kit import permission_require
from wellled.core.url_kit import site_url
from wellled.reports.models import PaperJob
from wellled.reports.papers.jobs import WAITING, JobTask, paper_job_run

from .models import Meeting, MeetingPack
from .papers.pack import PACK_KEY

logger = logging.getLogger(__name__)

ALREADY_BUILDING = "A pack for this meeting is already being built: its progress is on its page."
NO_ITEMS = "The meeting has no agenda items yet: make its agenda (from the cycle of business, or item by item) first."

PACK_TASK = JobTask("build meeting packs")  # committees.tasks.build_pack


def pack_task_register(task: Any) -> None:
    """Say which background task builds a pack: `task.enqueue(job_id)` (committees.tasks.build_pack)."""
    PACK_TASK.register(task)


def pack_request(*, meeting: Meeting, public: bool, by: User, here: bool = False) -> MeetingPack:
    """Queue the building and issuing of the meeting's pack (public: without its private items); `here` builds it
    in this process instead, recording its progress on the job just the same (`wellled pack`, the benchmark)."""
    organisation = meeting.committee.organisation
    with transaction.atomic():
        permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_COMMITTEES)
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not locked.items.exists():
            raise ValidationError(NO_ITEMS)
        if MeetingPack.objects.filter(
            meeting=locked, public=public, job__state__in=["queued", "running"]
        ).exists():
            raise ValidationError(ALREADY_BUILDING)
        job = PaperJob.objects.create(
            organisation=organisation,
            kind=PACK_KEY,
            as_at=timezone.localdate(),
            requested_by=by,
            step=WAITING,
        )
        pack = MeetingPack.objects.create(meeting=locked, public=public, job=job, requested_by=by)
    if here:
        pack_job_run(job_id=job.pk)
        pack.refresh_from_db()
        return pack
    PACK_TASK.enqueue(job.pk)
    pack.refresh_from_db()
    return pack


def pack_job_run(*, job_id: int) -> int | None:
    """Issue the pack a job asks for, then e-mail the committee's members its link. Returns the paper's id."""
    paper_id = paper_job_run(job_id=job_id)
    if paper_id is None:
        return None
    pack = MeetingPack.objects.select_related("meeting__committee").filter(job_id=job_id).first()
    if pack is not None and not pack.emailed_to:
        try:
            sent = pack_members_email(pack)
        except (
            OSError
        ):  # the mail server could not be reached: the pack stands, its page says it was not sent
            logger.exception("Could not e-mail the members the pack's link (job %s).", job_id)
            sent = 0
        MeetingPack.objects.filter(pk=pack.pk).update(emailed_to=sent)
    return paper_id


def pack_members_email(pack: MeetingPack) -> int:
    """Send each current member of the committee (with an address) the link to the issued pack."""
    meeting = pack.meeting
    committee = meeting.committee
    link = site_url(reverse("committee-pack-detail", args=[pack.pk]))
    kind = "public pack" if pack.public else "pack"
    people = [
        place.person
        for place in committee.members.filter(left_on__isnull=True).select_related("person")
        if place.person.email
    ]
    for person in people:
        send_mail(
            subject=f"The {kind} for {meeting} is issued",
            message=(
                f"The {kind} for {committee.name} on {long_date(meeting.starts_at)} "
                f"is issued. Read it in Wellled:\n\n{link}\n"
            ),
            from_email=None,
            recipient_list=[str(person.email)],
        )
    return len(people)
