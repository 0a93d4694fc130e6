"""A person's meetings as an iCalendar feed (RFC 5545), written by hand: a few fields of a few meetings need no
library. Private item titles are never written: a calendar is read on phones and shared far beyond the committee."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

# RFC 5545 3.1: lines longer than 75 octets are folded onto lines starting with a space.
FOLD_AT = 75
PRODUCT = "-//Wellled//Committee meetings//EN"


def _utc(moment: datetime.datetime) -> str:
    """A moment as an RFC 5545 UTC date-time, such as 20261207T093000Z."""
    at = moment.astimezone(datetime.UTC)
    return f"{at.year:04d}{at.month:02d}{at.day:02d}T{at.hour:02d}{at.minute:02d}{at.second:02d}Z"


def _text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    data = line.encode("utf-8")
    if len(data) <= FOLD_AT:
        return [line]
    out: list[str] = []
    current = ""
    for char in line:
        limit = FOLD_AT if not out else FOLD_AT - 1
        if len((current + char).encode("utf-8")) > limit:
            out.append(current if not out else " " + current)
            current = ""
        current += char
    out.append(current if not out else " " + current)
    return out


def meetings_calendar(meetings: Iterable[Any], *, host: str, now: datetime.datetime, page_url) -> str:
    """The VCALENDAR of the meetings: each with its committee, place, link and its public items' titles."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for meeting in meetings:
        public = [item for item in meeting.items.all() if not item.private]
        agenda = "\n".join(
            f"{item.position}. {item.title}" for item in sorted(public, key=lambda i: i.position)
        )
        ends = meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(ends)}",
            f"SUMMARY:{_text(meeting.committee.name)}",
            f"URL:{page_url(meeting)}",
            f"SEQUENCE:{meeting.version}",
            "STATUS:" + ("CANCELLED" if meeting.status == "cancelled" else "CONFIRMED"),
        ]
        if meeting.place:
            lines.append(f"LOCATION:{_text(meeting.place)}")
        if agenda:
            lines.append(f"DESCRIPTION:{_text('Agenda (public items):' + chr(10) + agenda)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
