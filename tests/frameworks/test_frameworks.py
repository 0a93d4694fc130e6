"""Frameworks as data: the shipped files after migrate, and `wellled frameworks load|list` for a trust's own."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from wellled.core.choices import AuditAction
from wellled.core.models import AuditLog
from wellled.core.services import organisation_create
from wellled.frameworks.models import ElementKind, Framework, FrameworkElement

EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "trust-framework.yaml"
WELL_LED_KEY = "nhs-well-led-2017"
SAF_KEY = "cqc-saf"
SAF_STATEMENT_COUNTS = {"safe": 8, "effective": 6, "caring": 5, "responsive": 7, "well_led": 8}
TRUST_ODS = "ZTF"

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return organisation_create(name="Testford Hospitals NHS Trust", ods_code=TRUST_ODS, by=None)


def _load(*args: str) -> str:
    out = StringIO()
    call_command("frameworks", *args, stdout=out)
    return out.getvalue()


def _framework_audit_count() -> int:
    return AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(Framework)).count()


def test_well_led_framework_is_shipped_with_eight_kloes_and_own_descriptions():
    framework = Framework.objects.get(key=WELL_LED_KEY, organisation__isnull=True)
    kloes = list(framework.elements.order_by("order"))
    assert [k.code for k in kloes] == [f"W{n}" for n in range(1, 9)]
    assert {k.kind for k in kloes} == {ElementKind.KLOE}
    assert all(k.parent_id is None and k.name and k.question and k.description for k in kloes)
    assert framework.rating_scale == ["outstanding", "good", "requires_improvement", "inadequate"]


def test_single_assessment_framework_is_shipped_with_five_key_questions_and_34_statements():
    framework = Framework.objects.get(key=SAF_KEY, organisation__isnull=True)
    questions = list(framework.elements.filter(kind=ElementKind.KEY_QUESTION).order_by("order"))
    assert [q.code for q in questions] == list(SAF_STATEMENT_COUNTS)
    for question in questions:
        statements = list(question.children.order_by("order"))
        assert len(statements) == SAF_STATEMENT_COUNTS[question.code]
        assert {s.kind for s in statements} == {ElementKind.QUALITY_STATEMENT}
        prefix = question.name[0]
        assert [s.code for s in statements] == [f"{prefix}{n}" for n in range(1, len(statements) + 1)]
    statements = framework.elements.filter(kind=ElementKind.QUALITY_STATEMENT)
    assert statements.count() == 34
    assert not statements.filter(description="").exists()
    assert len(framework.evidence_categories) == 6


def test_a_trusts_own_framework_loads_from_the_documented_example_and_is_audited(trust):
    output = _load("load", str(EXAMPLE_FILE), "--organisation", TRUST_ODS.lower())
    framework = Framework.objects.get(organisation=trust)
    assert "Loaded" in output and framework.name in output
    codes = list(framework.elements.values_list("code", flat=True))
    assert codes == ["P1", "P1.1", "P1.2", "P2", "P3", "P4"]
    assert FrameworkElement.objects.get(framework=framework, code="P1.2").parent.code == "P1"
    record = AuditLog.objects.get(
        content_type=ContentType.objects.get_for_model(Framework), object_id=str(framework.pk)
    )
    assert record.action == AuditAction.CREATE and record.organisation == trust
    assert Framework.objects.filter(key=framework.key).count() == 1  # the shipped ones are untouched


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("elements:\n  - {code: A, name: Fine}\n  - {code: B}\n", r"elements\[2\]: 'name' is missing"),
        (
            "elements:\n  - code: A\n    name: Top\n    children:\n      - {code: A1, name: Child, kind: pillar}\n",
            r"elements\[1\]\.children\[1\] \(A1\): unknown kind 'pillar'",
        ),
        ("elements:\n  - {code: A, name: One}\n  - {code: A, name: Two}\n", r"repeated: A"),
        ("elements: [\n", r"line 2, column 1: not valid YAML"),
    ],
)
def test_a_broken_file_names_the_entry_and_field_and_saves_nothing(tmp_path, trust, body, message):
    header = (
        "" if body.startswith("elements: [") else "framework: {key: broken, name: Broken, version: '1'}\n"
    )
    path = tmp_path / "broken.yaml"
    path.write_text(header + body, encoding="utf-8")
    frameworks, elements, audits = (
        Framework.objects.count(),
        FrameworkElement.objects.count(),
        AuditLog.objects.count(),
    )
    with pytest.raises(CommandError, match=message) as raised:
        _load("load", str(path), "--organisation", TRUST_ODS)
    assert "\n" not in str(raised.value)
    assert str(path) in str(raised.value)
    assert (Framework.objects.count(), FrameworkElement.objects.count(), AuditLog.objects.count()) == (
        frameworks,
        elements,
        audits,
    )


def test_a_missing_header_field_is_named(tmp_path):
    path = tmp_path / "no-version.yaml"
    path.write_text("framework: {key: x, name: X}\nelements:\n  - {code: A, name: A}\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"framework: 'version' is missing"):
        _load("load", str(path))
    assert not Framework.objects.filter(key="x").exists()


def test_an_unknown_organisation_or_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No organisation has the ODS code 'ZQQ'"):
        _load("load", str(EXAMPLE_FILE), "--organisation", "ZQQ")
    with pytest.raises(CommandError, match="cannot read the file"):
        _load("load", str(tmp_path / "absent.yaml"))


def test_reloading_the_same_file_changes_nothing(trust):
    _load("load", str(EXAMPLE_FILE), "--organisation", TRUST_ODS)
    counts = (Framework.objects.count(), FrameworkElement.objects.count(), _framework_audit_count())
    _load("load", str(EXAMPLE_FILE), "--organisation", TRUST_ODS)
    assert (Framework.objects.count(), FrameworkElement.objects.count(), _framework_audit_count()) == counts


def test_reloading_an_edited_file_updates_elements_in_place_and_is_audited(tmp_path, trust):
    _load("load", str(EXAMPLE_FILE), "--organisation", TRUST_ODS)
    framework = Framework.objects.get(organisation=trust)
    ids = dict(framework.elements.values_list("code", "pk"))
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        EXAMPLE_FILE.read_text(encoding="utf-8").replace("Safe every time", "Safe, every time"),
        encoding="utf-8",
    )
    _load("load", str(edited), "--organisation", TRUST_ODS)
    assert dict(framework.elements.values_list("code", "pk")) == ids
    assert framework.elements.get(code="P1").name == "Safe, every time"
    assert (
        AuditLog.objects.filter(
            object_id=str(framework.pk),
            action=AuditAction.UPDATE,
            content_type=ContentType.objects.get_for_model(Framework),
        ).count()
        == 1
    )


def test_shipped_frameworks_are_refreshed_idempotently_on_migrate():
    counts = (Framework.objects.count(), FrameworkElement.objects.count(), _framework_audit_count())
    call_command("migrate", verbosity=0)
    assert (Framework.objects.count(), FrameworkElement.objects.count(), _framework_audit_count()) == counts


def test_list_shows_shipped_and_trust_frameworks(trust):
    _load("load", str(EXAMPLE_FILE), "--organisation", TRUST_ODS)
    output = _load("list")
    assert WELL_LED_KEY in output and SAF_KEY in output
    line = next(line for line in output.splitlines() if line.startswith("northmoor-quality-pillars"))
    assert TRUST_ODS in line and "6 elements" in line
