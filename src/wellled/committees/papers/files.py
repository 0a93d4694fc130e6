"""A paper's own file as the pack reads it: an issued Wellled paper's stored format, or an upload read back from
storage and checked against the SHA-256 kept when it was uploaded (never a filesystem path)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import default_storage

from wellled.reports.models import IssuedPaperFile
from wellled.reports.paper_errors import PaperNotProduced

CHANGED = "The file of the paper {title} is not the one uploaded (its checksum differs), so the pack was not issued."
MISSING = (
    "The file of the paper {title} is missing from storage, so the pack was not issued. Upload it again."
)


def paper_file_bytes(paper: Any, fmt: str) -> bytes:
    """The bytes of a pack paper's file in the format asked for ("pdf" or "docx")."""
    if paper.issued_paper_id is not None:
        stored = IssuedPaperFile.objects.filter(paper_id=paper.issued_paper_id, format=fmt).first()
        if stored is None or not stored.intact:
            raise PaperNotProduced(MISSING.format(title=paper.title))
        return bytes(stored.content)
    try:
        with default_storage.open(paper.file_name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        raise PaperNotProduced(MISSING.format(title=paper.title)) from None
    if hashlib.sha256(data).hexdigest() != paper.file_sha256:
        raise PaperNotProduced(CHANGED.format(title=paper.title))
    return data
