"""Uploaded files kept through Django's storage API (a local folder, or S3-compatible object storage that several
web machines share) and given back only by Wellled's own access-checked views, streamed (ADR 0058).

Every place that keeps an upload or gives one back uses these three: `upload_store` (keep it; its stored name,
SHA-256 and size), `stored_read` (its bytes, checked against the SHA-256 kept) and `stored_download` (a download
response, streamed from storage with the right type and a safe file name). Nothing else opens a stored file: no
`.path`, no `.url`, no media folder joined to a name.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)

# Read and hashed in pieces of this size, so a file is never held whole to be served (Django's own File.chunks size).
CHUNK_BYTES = File.DEFAULT_CHUNK_SIZE
# The longest file name offered to the browser; longer names are shortened, keeping the extension.
FILENAME_CHARS = 200

STORE_UNREACHABLE = (
    "The file could not be {doing}: Wellled's file store cannot be reached just now. Try again in a few minutes; "
    "if it keeps happening, tell your Wellled administrator."
)
FILE_MISSING = "The file is no longer in Wellled's file store."


class FileStoreUnreachable(Exception):
    """The storage did not answer (object storage down, wrong endpoint or credentials, a full disk): the person is
    told to try again, and the log says which store and why, for the administrator."""

    def __init__(self, doing: str):
        self.doing = doing
        super().__init__(STORE_UNREACHABLE.format(doing=doing))


class StoredFileChanged(Exception):
    """A stored file whose bytes no longer match the SHA-256 kept when it was uploaded: it is never passed on."""


@dataclass(frozen=True)
class StoredFile:
    """An upload as kept: its name in the storage, its SHA-256 (64 hex digits) and its size in bytes."""

    name: str
    sha256: str
    size: int


def _is_object_storage(storage: Storage) -> bool:
    return storage.__class__.__module__.startswith("storages.")  # __class__: default_storage is a lazy proxy


def storage_kind(storage: Storage) -> str:
    """The kind of store, naming no folder or bucket: for /health/, which anyone may read."""
    return "object storage (S3)" if _is_object_storage(storage) else "local folder"


def storage_described(storage: Storage) -> str:
    """Which store a storage is, in the administrator's words: for the log."""
    bucket = getattr(storage, "bucket_name", None)
    if _is_object_storage(storage):
        endpoint = getattr(storage, "endpoint_url", None) or "Amazon S3"
        prefix = getattr(storage, "location", "")
        return f"S3 bucket {bucket or '(none named)'}{f' under {prefix}/' if prefix else ''} at {endpoint}"
    if isinstance(storage, FileSystemStorage):
        return f"local folder {storage.location}"
    return storage.__class__.__name__


def _unreachable(storage: Storage, doing: str, name: str, exc: Exception) -> FileStoreUnreachable:
    logger.error(
        "File store unreachable while %s %s in the %s: %s",
        doing,
        name,
        storage_described(storage),
        exc,
        exc_info=exc,
    )
    return FileStoreUnreachable(doing)


def upload_store(*, into: FieldFile | Storage, name: str, content: File | bytes) -> StoredFile:
    """Keep an upload (or bytes Wellled made) under `name` (the FileField's upload_to is added), returning its stored
    name, SHA-256 and size. The file is hashed in pieces as it is read; for a FieldFile the model is not saved."""
    upload = ContentFile(content) if isinstance(content, bytes) else content
    digest, size = hashlib.sha256(), 0
    for piece in upload.chunks(CHUNK_BYTES):
        digest.update(piece)
        size += len(piece)
    if upload.seekable():
        upload.seek(0)
    storage = into.storage if isinstance(into, FieldFile) else into
    try:
        if isinstance(into, FieldFile):
            into.save(name, upload, save=False)
            stored = into.name or ""
        else:
            stored = into.save(name, upload)
    except Exception as exc:  # any backend's failure: botocore's, an OSError, a refused request
        raise _unreachable(storage, "stored", name, exc) from exc
    return StoredFile(name=stored, sha256=digest.hexdigest(), size=size)


def _opened(storage: Storage, name: str, doing: str) -> File:
    try:
        return storage.open(name, "rb")
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise _unreachable(storage, doing, name, exc) from exc


def _parts(field: FieldFile | tuple[Storage, str]) -> tuple[Storage, str]:
    if isinstance(field, FieldFile):
        return field.storage, field.name or ""
    return field


def stored_read(field: FieldFile | tuple[Storage, str], *, sha256: str = "", label: str = "") -> bytes:
    """A stored file's bytes, read through its storage (on any machine sharing it); checked against the SHA-256
    kept at upload, when there is one. Raises FileNotFoundError, FileStoreUnreachable or StoredFileChanged."""
    storage, name = _parts(field)
    with _opened(storage, name, "read") as handle:
        try:
            content = handle.read()
        except Exception as exc:
            raise _unreachable(storage, "read", name, exc) from exc
    if sha256 and hashlib.sha256(content).hexdigest() != sha256:
        logger.error("Stored file %s no longer matches its SHA-256 %s", name, sha256)
        raise StoredFileChanged(f"{label or PurePath(name).name} no longer matches its checksum.")
    return content


def download_filename(name: str, fallback: str = "file") -> str:
    """A file name safe to offer in Content-Disposition: no folders, no control characters, not too long (the
    extension kept). Non-ASCII letters stay: the header carries them RFC 6266-encoded."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().strip(".") or fallback
    if len(base) > FILENAME_CHARS:
        suffix = PurePath(base).suffix[:20]
        base = base[: FILENAME_CHARS - len(suffix)] + suffix
    return base


def _streamed(handle: File, *, name: str, sha256: str) -> Iterator[bytes]:
    """The file's pieces as read; when a SHA-256 is kept, a file found changed is cut short (an error, logged) rather
    than finished, so no one is handed a changed file as complete."""
    digest = hashlib.sha256()
    try:
        for piece in handle.chunks(CHUNK_BYTES):
            digest.update(piece)
            yield piece
        if sha256 and digest.hexdigest() != sha256:
            logger.error("Stored file %s no longer matches its SHA-256 %s: download cut short", name, sha256)
            raise StoredFileChanged(f"{PurePath(name).name} no longer matches its checksum.")
    finally:
        handle.close()


def stored_download(
    field: FieldFile | tuple[Storage, str],
    *,
    filename: str,
    content_type: str = "",
    sha256: str = "",
) -> HttpResponseBase:
    """A download of a stored file, streamed from its storage (never a storage address handed to the browser): the
    type given (or guessed from the name), a safe file name, its length. The caller has checked who may have it.
    A missing file is a 404; a store that cannot be reached is a 503 page saying so."""
    storage, name = _parts(field)
    if not name:
        raise Http404(FILE_MISSING)
    try:
        handle = _opened(storage, name, "downloaded")
    except FileNotFoundError:
        raise Http404(FILE_MISSING) from None
    except FileStoreUnreachable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    safe = download_filename(filename or name)
    response = StreamingHttpResponse(
        _streamed(handle, name=name, sha256=sha256),
        content_type=content_type or mimetypes.guess_type(safe)[0] or "application/octet-stream",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, safe
    )  # always a download, never shown inline
    with contextlib.suppress(
        OSError, AttributeError, TypeError
    ):  # a backend that cannot say: sent without it
        response["Content-Length"] = str(handle.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
