"""The registered paper kinds, by key. An app registers its kinds from its AppConfig.ready (or a module import), so
the reports app never imports the apps above it (risks, information)."""

from __future__ import annotations

from django.utils.module_loading import import_string

from .kind import PaperKind

_KINDS: dict[str, PaperKind] = {}
KEY_CHARS = 10  # IssuedPaper.kind and PaperJob.kind hold the key
# Kinds whose module loads heavy renderers, by key: (label, dotted path of the kind), imported when first used.
_LAZY: dict[str, tuple[str, str]] = {}


class UnknownPaperKind(LookupError):
    """No kind is registered under this key."""


def kind_register(kind: PaperKind) -> PaperKind:
    """Register a kind under its key (registering the same class again replaces it: tests and reloads)."""
    if len(kind.key) > KEY_CHARS:
        raise ValueError(f"A paper kind's key is at most {KEY_CHARS} characters: {kind.key!r}.")
    existing = _KINDS.get(kind.key)
    if existing is not None and type(existing).__qualname__ != type(kind).__qualname__:
        raise ValueError(f"Another paper kind is registered as {kind.key!r}.")
    _KINDS[kind.key] = kind
    return kind


def kind_register_lazy(key: str, label: str, path: str) -> None:
    """Register a kind by the dotted path of its instance, imported when first asked for (so starting Django does
    not load ReportLab and python-docx)."""
    _LAZY[key] = (label, path)


def kind_unregister(key: str) -> None:
    """Remove a kind (a test's own kind, when the test ends)."""
    _KINDS.pop(key, None)
    _LAZY.pop(key, None)


def kind_get(key: str) -> PaperKind:
    key = str(key)
    if key not in _KINDS and key in _LAZY:
        kind_register(import_string(_LAZY[key][1]))
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownPaperKind(f"No paper kind is registered as {key!r}.") from None


def kinds() -> dict[str, PaperKind]:
    """Every registered kind, by key."""
    for key in list(_LAZY):
        kind_get(key)
    return dict(_KINDS)


def kind_label(key: str) -> str:
    """The kind's name in words ('Board paper'), or the key itself if it is not registered."""
    kind = _KINDS.get(str(key))
    if kind is not None:
        return kind.label
    return _LAZY[str(key)][0] if str(key) in _LAZY else str(key)
