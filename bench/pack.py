"""Benchmark of the meeting pack (issue 22, ADR 0057): `python bench/pack.py` prints how long a pack takes to build
and issue, best of N.

The case: a board committee's meeting of 20 agenda items, each with one paper: the board assurance framework issued
through the paper pipeline for 4 of them (Wellled papers) and an uploaded PDF for the other 16, sized so that the
pack comes to about 300 pages with its cover, agenda, index and cover sheets. The pack is built and issued as
`wellled pack` does (PDF and Word, stored frozen); the target is at most 10 seconds on the reference machine.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import sys
import time

from _django import remove, throwaway_django

TARGET_SECONDS = 10  # issue 22: a 300-page pack of 20 items in at most 10 seconds


def pdf_pages(title: str, pages: int) -> bytes:
    """A PDF of `pages` A4 pages of text, each naming its paper (a stand-in for a trust's own papers)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 770, f"{title}, page {number}")
        for line in range(40):
            canvas.drawString(
                72, 740 - line * 16, f"Line {line + 1}: narrative, figures and commentary of {title}."
            )
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def build(items: int, wellled: int, upload_pages: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from wellled.committees.choices import CommitteeKind, ItemPart, MemberRole, Seat
    from wellled.committees.models import AgendaItem, Committee, CommitteeMember, Meeting
    from wellled.committees.services.papers import paper_issued_attach, paper_upload
    from wellled.core.choices import Role
    from wellled.core.services import organisation_create, person_create
    from wellled.reports.papers.kind import PaperRequest
    from wellled.reports.papers.pipeline import issue

    org = organisation_create(name="Bench Trust", ods_code="ZBP01", by=None)
    editor = person_create(
        username="bench-governance",
        by=None,
        organisation=org,
        role=Role.GOVERNANCE_EDITOR,
        email="g@example.org",
    )
    committee = Committee.objects.create(
        organisation=org, name="Quality Committee", kind=CommitteeKind.BOARD_COMMITTEE
    )
    CommitteeMember.objects.create(
        committee=committee, person=editor, role=MemberRole.CHAIR, seat=Seat.NON_EXECUTIVE
    )
    meeting = Meeting.objects.create(
        committee=committee, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    baf = issue("baf", PaperRequest(organisation=org, by=editor, as_at=timezone.localdate()))
    for n in range(1, items + 1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=n,
            title=f"Item {n}",
            part=ItemPart.PRIVATE if n % 7 == 0 else ItemPart.PUBLIC,
        )
        if n <= wellled:
            paper_issued_attach(
                item=item, issued=baf, by=editor, summary="The principal risks as they stand."
            )
        else:
            data = pdf_pages(f"Paper {n}", upload_pages)
            paper_upload(
                item=item, upload=SimpleUploadedFile(f"paper-{n}.pdf", data), by=editor, summary="Summary."
            )
    return meeting, editor


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=20, help="agenda items, one paper each")
    parser.add_argument("--wellled", type=int, default=4, help="of which Wellled papers (the BAF)")
    parser.add_argument("--pages", type=int, default=17, help="pages of each uploaded paper")
    parser.add_argument("--repeat", type=int, default=3, help="packs built; the best is reported")
    args = parser.parse_args()
    data_dir = throwaway_django()
    try:
        from pypdf import PdfReader

        from wellled.committees.jobs import pack_request
        from wellled.reports.models import IssuedPaperFile

        os.environ.setdefault("WELLLED_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
        from django.conf import settings

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        meeting, editor = build(args.items, args.wellled, args.pages)
        times = []
        pages = size = 0
        for _ in range(max(args.repeat, 1)):
            start = time.perf_counter()
            pack = pack_request(meeting=meeting, public=False, by=editor, here=True)
            times.append(time.perf_counter() - start)
            if pack.job.state != "done":
                print(f"The pack was not issued: {pack.job.error}", file=sys.stderr)
                return 1
            pdf = IssuedPaperFile.objects.get(paper_id=pack.job.paper_id, format="pdf")
            pages, size = len(PdfReader(io.BytesIO(bytes(pdf.content))).pages), pdf.size
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"Meeting pack: {args.items} items ({args.wellled} Wellled papers, {args.items - args.wellled} uploads)"
        )
        print(f"  pages {pages}, PDF {size / 2**20:.1f} MB")
        print(
            f"  build and issue (PDF and Word), best of {len(times)}: {min(times):.2f} s  (all: "
            + ", ".join(f"{t:.2f}" for t in times)
            + ")"
        )
        print(
            f"  target: at most {TARGET_SECONDS} s; {platform.python_implementation()} {platform.python_version()}, "
            f"load average {load:.2f}"
        )
    finally:
        remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
