"""Why a paper could not be produced, in words for the person who asked: the renderers raise these, and the pages,
the background job and the commands show their message as it is (ADR 0044).

Nothing here imports the rest of the app, so any renderer and any issue pipeline can raise or catch them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

DETAIL_CHARS = 300  # of an unexpected error's own message, in a command's one line


class PaperNotProduced(Exception):
    """A format of a paper could not be produced; the message says why and what to do, for the person who asked."""


class PaperContentError(PaperNotProduced):
    """The paper could not be laid out around one text: names the record ("Risk ZNM-012") and the field
    ("control 2") so the person knows what to shorten."""

    def __init__(self, record: str, field: str, reason: str):
        self.record, self.field, self.reason = record, field, reason
        super().__init__(f"{record}, {field}: {reason}")


CANNOT_LAY_OUT = (
    "the {format} could not be laid out around this text ({length:,} characters), so nothing was produced. "
    "Shorten it or break it up with spaces or new lines, then try again."
)


def content_error(record: str, field: str, *, length: int, fmt: str = "PDF") -> PaperContentError:
    """The error for a text a format could not be laid out around."""
    return PaperContentError(record, field, CANNOT_LAY_OUT.format(format=fmt, length=length))


@contextmanager
def command_paper_errors(what: str) -> Iterator[None]:
    """For the commands that produce or issue a paper: a paper that cannot be produced ends the command with one
    line on standard error and exit status 1 (a CommandError), never a traceback (`--traceback` shows it)."""
    try:
        yield
    except (CommandError, PermissionDenied, ValidationError):
        raise  # the command says these in its own words
    except PaperNotProduced as exc:
        raise CommandError(one_line(str(exc))) from exc
    except Exception as exc:
        raise CommandError(
            one_line(
                f"The {what} could not be produced ({type(exc).__name__}: {str(exc)[:DETAIL_CHARS]}). Run the "
                "command again with "
                "--traceback to see where, and tell your Wellled administrator."
            )
        ) from exc


def one_line(message: str) -> str:
    """The message with its line breaks and runs of spaces made single spaces."""
    return " ".join(message.split())
