"""A paper's own file as the pack reads it: an issued Wellled paper's stored format, or an upload read back from
storage and checked against the SHA-256 kept when it was uploaded (never a filesystem path)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage

from wellled.core.stored_files import FileStoreUnreachable, StoredFileChanged, stored_read
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
        return stored_read((default_storage, paper.file_name), sha256=paper.file_sha256, label=paper.title)
    except (FileNotFoundError, FileStoreUnreachable):
        raise PaperNotProduced(MISSING.format(title=paper.title)) from None
    except StoredFileChanged:
        raise PaperNotProduced(CHANGED.format(title=paper.title)) from None
