"""`wellled pack`: build and issue a meeting's pack from the command line.

    wellled pack MEETING_ID [--public] [--out pack.pdf] [--as-user USERNAME]

Issued as a named person of the meeting's trust (default: its first administrator), who must be of the governance
team; the pack is stored frozen (PDF and Word, with their SHA-256) exactly as from its page, its members are sent
the link, and --out also writes the PDF (or the Word file, if the name ends .docx).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wellled.core.selectors import command_actor
from wellled.reports.management.commands._issuing import issue_refusals
from wellled.reports.models import IssuedPaperFile, JobState

from ...jobs import pack_request
from ...models import Meeting


class Command(BaseCommand):
    help = "Build and issue a meeting's pack (the full pack, or the public pack with --public)."

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="The meeting's id (in its page's address).")
        parser.add_argument(
            "--public", action="store_true", help="The public pack: without the private items."
        )
        parser.add_argument(
            "--out", help="Also write the PDF (or, for a name ending .docx, the Word pack) here."
        )
        parser.add_argument(
            "--as-user", dest="as_user", help="Issue as this person (default: an administrator)."
        )

    def handle(self, *args, meeting: int, public: bool, out: str | None, as_user: str | None, **options):
        found = Meeting.objects.select_related("committee__organisation").filter(pk=meeting).first()
        if found is None:
            raise CommandError(f"No meeting has the id {meeting}.")
        try:
            user = command_actor(organisation=found.committee.organisation, username=as_user)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        with issue_refusals(user, "meeting packs"):
            pack = pack_request(meeting=found, public=public, by=user, here=True)
        job = pack.job
        if job is None:  # made with the pack, in its transaction
            raise CommandError("The pack has no job.")
        if job.state != JobState.DONE:
            raise CommandError(f"The pack was not issued: {job.error}")
        files = list(IssuedPaperFile.objects.filter(paper_id=job.paper_id).order_by("id"))
        kind = "public pack" if public else "pack"
        self.stdout.write(
            self.style.SUCCESS(f"Issued the {kind} for {found} (pack {pack.pk}, paper {job.paper_id}).")
        )
        for file in files:
            self.stdout.write(f"  {file.filename}  {file.size:>10,} bytes  SHA-256 {file.sha256}")
        if pack.emailed_to:
            self.stdout.write(f"Sent its link to {pack.emailed_to} member(s).")
        if out:
            fmt = "docx" if out.lower().endswith(".docx") else "pdf"
            chosen = next(f for f in files if f.format == fmt)
            try:
                Path(out).write_bytes(bytes(chosen.content))
            except OSError as exc:
                raise CommandError(f"Cannot write {out}: {exc.strerror}.") from None
            self.stdout.write(f"Wrote the issued {fmt.upper()} file to {out}.")
