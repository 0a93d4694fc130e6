"""What the paper-issuing commands say when issuing is refused, in one place (not a command: the name starts with
an underscore, so Django does not list it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, OutputWrapper

from wellled.core.formatting import long_date
from wellled.core.models import User


@contextmanager
def issue_refusals(user: User, what: str) -> Iterator[None]:
    """A role that may not issue `what` ("board papers"), or a paper the rules refuse, ends the command with one
    line that says why and what to do."""
    try:
        yield
    except PermissionDenied:
        raise CommandError(
            f"{user.username}'s role does not allow issuing {what}: name an editor or administrator with "
            "--as-user."
        ) from None
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None


def say_issued(out: OutputWrapper, issued, *, what: str, record: str, counted: str) -> None:
    """The issued paper in the command's output: what it is ("board paper for Q4 plan"), its date, which record
    ("paper 12") with how many of what it counts, the record's SHA-256, then each file with its size and SHA-256."""
    out.write(
        f"Issued the {what}, position as at {long_date(issued.as_at)} ({record} {issued.pk}, {issued.total} "
        f"{counted}). Record SHA-256 {issued.data_sha256}."
    )
    for file in issued.files.order_by("id"):
        out.write(f"  {file.filename}  {file.size:>10,} bytes  SHA-256 {file.sha256}")
