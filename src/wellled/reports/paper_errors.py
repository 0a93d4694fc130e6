"""Why a paper could not be produced, in words for the person who asked: the renderers raise these, and the pages,
the background job and the commands show their message as it is (ADR 0044).

Nothing here imports the rest of the app, so any renderer and any issue pipeline can raise or catch them.
"""

from __future__ import annotations


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
