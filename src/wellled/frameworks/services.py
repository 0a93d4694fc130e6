"""Load frameworks from YAML: the shipped ones after every migrate, a trust's own on request."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from wellled.core.audit import snapshot
from wellled.core.models import Organisation, User
from wellled.core.service_kit import record_create_or_change

from .models import ElementKind, Framework, FrameworkElement

SHIPPED_DIR = Path(__file__).resolve().parent / "data"


class FrameworkFileError(ValueError):
    """A framework file that cannot be loaded; the message names the entry and field."""


def _elements_from(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Normalise the accepted shapes (elements / kloes / key_questions with quality_statements) to one tree."""
    if "elements" in document:
        return document["elements"] or []
    if "kloes" in document:
        return [
            {**k, "code": k.get("code", k.get("id")), "kind": ElementKind.KLOE} for k in document["kloes"]
        ]
    if "key_questions" in document:
        tree = []
        for kq in document["key_questions"]:
            children = [
                {**qs, "code": qs.get("code", qs.get("id")), "kind": ElementKind.QUALITY_STATEMENT}
                for qs in kq.get("quality_statements", [])
            ]
            tree.append(
                {
                    **kq,
                    "code": kq.get("code", kq.get("key")),
                    "kind": ElementKind.KEY_QUESTION,
                    "children": children,
                }
            )
        return tree
    raise FrameworkFileError("The file has no 'elements', 'kloes' or 'key_questions' list.")


def _flatten(
    nodes: list[dict[str, Any]],
    parent_code: str | None,
    out: list[tuple[dict[str, Any], str | None]],
    path: str,
) -> None:
    for index, node in enumerate(nodes, start=1):
        where = f"{path}[{index}]"
        if not isinstance(node, dict):
            raise FrameworkFileError(f"{where}: expected a mapping with code and name.")
        for field in ("code", "name"):
            if not str(node.get(field) or "").strip():
                raise FrameworkFileError(f"{where}: '{field}' is missing.")
        kind = node.get("kind", ElementKind.ELEMENT)
        if kind not in ElementKind.values:
            raise FrameworkFileError(f"{where} ({node['code']}): unknown kind {kind!r}.")
        out.append((node, parent_code))
        _flatten(node.get("children") or [], str(node["code"]), out, f"{where}.children")


def framework_parse(text: str) -> tuple[dict[str, Any], list[tuple[dict[str, Any], str | None]]]:
    """Parse and check a framework file without saving anything."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkFileError(f"Not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("framework"), dict):
        raise FrameworkFileError("The file needs a 'framework' mapping with key, name and version.")
    header = document["framework"]
    for field in ("key", "name", "version"):
        if not str(header.get(field) or "").strip():
            raise FrameworkFileError(f"framework: '{field}' is missing.")
    flat: list[tuple[dict[str, Any], str | None]] = []
    _flatten(_elements_from(document), None, flat, "elements")
    codes = [str(node["code"]) for node, _ in flat]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise FrameworkFileError(f"Element codes must be unique; repeated: {', '.join(duplicates)}.")
    header = {**header, "evidence_categories": document.get("evidence_categories", [])}
    return header, flat


@transaction.atomic
def framework_load(*, text: str, by: User | None, organisation: Organisation | None = None) -> Framework:
    """Create or refresh a framework from YAML text; elements are matched by code. All or nothing."""
    header, flat = framework_parse(text)
    checksum = hashlib.sha256(text.encode()).hexdigest()
    framework, created = Framework.objects.select_for_update().get_or_create(
        key=str(header["key"]),
        version=str(header["version"]),
        organisation=organisation,
        defaults={"name": header["name"]},
    )
    if not created and framework.source_checksum == checksum:
        return framework
    before = None if created else snapshot(framework)
    framework.name = str(header["name"])
    framework.description = str(header.get("description", ""))
    framework.rating_scale = list(header.get("rating_scale") or [])
    framework.evidence_categories = list(header.get("evidence_categories") or [])
    framework.source_checksum = checksum
    record_create_or_change(framework, by=by, organisation=organisation, before=before)
    existing = {e.code: e for e in framework.elements.all()}
    by_code: dict[str, FrameworkElement] = {}
    for order, (node, parent_code) in enumerate(flat, start=1):
        code = str(node["code"])
        element = existing.get(code) or FrameworkElement(framework=framework, code=code)
        element.parent = by_code.get(parent_code) if parent_code else None
        element.kind = node.get("kind", ElementKind.ELEMENT)
        element.name = str(node["name"])
        element.question = str(node.get("question", "") or "")
        element.description = str(node.get("description", "") or "")
        element.order = order
        element.save()
        by_code[code] = element
    return framework


def frameworks_sync_shipped(*, by: User | None = None) -> list[Framework]:
    """Load (or refresh) every framework file shipped with Wellled."""
    return [
        framework_load(text=path.read_text(encoding="utf-8"), by=by)
        for path in sorted(SHIPPED_DIR.glob("*.yaml"))
    ]


def frameworks_sync_shipped_after_migrate(sender, **kwargs) -> None:
    """post_migrate hook: the shipped frameworks are always present once the database is migrated."""
    using = kwargs.get("using", "default")
    if using != "default":
        return
    frameworks_sync_shipped()
