"""An edit of a risk, a category or a strategic objective is held to the version it was opened at: a form posted
without its hidden version, or with a version someone else's save has moved past, is refused and changes nothing
(ADR 0045)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.risks import services
from wellled.risks.models import Risk, RiskCategory, StrategicObjective

pytestmark = pytest.mark.django_db

STALE_SAID = "was changed by someone else while you were editing it"
MISSING_SAID = "it did not say which version you opened"


def _risk_post(risk: Risk) -> dict:
    return {
        "title": "A newer title",
        "opened_on": risk.opened_on.isoformat(),
        "inherent_likelihood": risk.inherent_likelihood,
        "inherent_consequence": risk.inherent_consequence,
        "target_likelihood": risk.target_likelihood,
        "target_consequence": risk.target_consequence,
        "review_frequency_days": risk.review_frequency_days,
    }


def _pages(risk, category, objective):
    """Each edit page with a complete POST of new values, the object, and the field that POST changes."""
    return [
        ("risk-edit", risk, _risk_post(risk), "title"),
        ("risk-category-edit", category, {"name": "People", "appetite": "open", "tolerance": "9"}, "name"),
        ("risk-objective-edit", objective, {"code": "SO9", "title": "Reworded", "order": "3"}, "title"),
    ]


def _row(instance):
    return type(instance).objects.values().get(pk=instance.pk)


def test_each_edit_form_saves_when_it_carries_the_version_it_was_opened_at(
    login, editor, risk, category, objective
):
    client = login(editor)
    for name, instance, data, changed in _pages(risk, category, objective):
        response = client.post(reverse(name, args=[instance.pk]), {**data, "version": instance.version})
        assert response.status_code == 302, name
        assert _row(instance)[changed] == data[changed], name
        assert _row(instance)["version"] == instance.version + 1, name


def test_each_edit_form_refuses_a_post_without_its_version_and_changes_nothing(
    login, editor, risk, category, objective
):
    client = login(editor)
    for name, instance, data, _changed in _pages(risk, category, objective):
        before, audits = _row(instance), AuditLog.objects.count()
        response = client.post(reverse(name, args=[instance.pk]), data)
        assert response.status_code == 200, name
        assert MISSING_SAID in response.content.decode(), name
        assert _row(instance) == before, name
        assert AuditLog.objects.count() == audits, name


def test_each_edit_form_refuses_a_stale_version_and_keeps_the_newer_save(
    login, editor, risk, category, objective
):
    services.risk_update(risk=risk, by=editor, expected_version=risk.version, title="Saved by someone else")
    services.category_update(category=category, by=editor, expected_version=category.version, name="Theirs")
    services.objective_update(
        objective=objective, by=editor, expected_version=objective.version, title="Theirs"
    )
    client = login(editor)
    for name, instance, data, changed in _pages(risk, category, objective):
        newer = _row(instance)
        response = client.post(reverse(name, args=[instance.pk]), {**data, "version": instance.version})
        assert response.status_code == 200, name
        assert STALE_SAID in response.content.decode(), name
        assert _row(instance) == newer and newer[changed] != data[changed], name


def test_each_edit_service_refuses_an_edit_that_names_no_version(editor, risk, category, objective):
    edits = [
        lambda: services.risk_update(risk=risk, by=editor, expected_version=None, title="Unread"),
        lambda: services.category_update(category=category, by=editor, expected_version=None, name="Unread"),
        lambda: services.objective_update(
            objective=objective, by=editor, expected_version=None, title="Unread"
        ),
    ]
    for edit in edits:
        with pytest.raises(ValidationError) as refused:
            edit()
        assert "version" in refused.value.message_dict
    assert Risk.objects.get(pk=risk.pk).title != "Unread"
    assert RiskCategory.objects.get(pk=category.pk).name != "Unread"
    assert StrategicObjective.objects.get(pk=objective.pk).title != "Unread"


def test_each_edit_service_refuses_a_stale_version(editor, risk, category, objective):
    read = {"risk": risk.version, "category": category.version, "objective": objective.version}
    services.risk_update(risk=risk, by=editor, expected_version=read["risk"], title="First")
    services.category_update(category=category, by=editor, expected_version=read["category"], name="First")
    services.objective_update(
        objective=objective, by=editor, expected_version=read["objective"], title="First"
    )
    with pytest.raises(ConcurrentEditError):
        services.risk_update(risk=risk, by=editor, expected_version=read["risk"], title="Second")
    with pytest.raises(ConcurrentEditError):
        services.category_update(
            category=category, by=editor, expected_version=read["category"], name="Second"
        )
    with pytest.raises(ConcurrentEditError):
        services.objective_update(
            objective=objective, by=editor, expected_version=read["objective"], title="Second"
        )
    assert Risk.objects.get(pk=risk.pk).title == "First"
    assert RiskCategory.objects.get(pk=category.pk).name == "First"
    assert StrategicObjective.objects.get(pk=objective.pk).title == "First"
