"""The measure page offers a rebase when a noted change is followed by a sustained shift, and explains an
assurance icon that the latest figure against the target would seem to contradict."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from wellled.measures import services
from wellled.measures.models import Rebase
from wellled.measures.prompts import assurance_note, rebase_suggestion
from wellled.spc import Assurance, SPCOptions, spc

BEFORE = [20, 22, 19, 21, 23, 20, 22, 21, 19, 22, 20, 21]
AFTER = [15, 14, 16, 15, 13, 14, 15, 16, 14]


def months(n, start=datetime.date(2024, 1, 1)):
    return [
        datetime.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(n)
    ]


def result(values, **options):
    return spc(values, dates=months(len(values)), options=SPCOptions(**options))


NOTE = (datetime.date(2025, 1, 1), "Huddles started")


def test_a_shift_after_a_noted_change_is_offered_as_a_rebase_from_its_first_point():
    suggestion = rebase_suggestion(result(BEFORE + AFTER), notes=[NOTE], rebase_dates=[])
    assert suggestion is not None
    assert (suggestion.date, suggestion.side, suggestion.run_length) == (
        datetime.date(2025, 1, 1),
        "below",
        7,
    )
    assert suggestion.reason == (
        "Sustained shift below the mean from 1 January 2025, after: Huddles started (1 January 2025)"
    )


def test_no_rebase_is_offered_without_a_note_or_once_rebased_or_for_a_short_run():
    assert rebase_suggestion(result(BEFORE + AFTER), notes=[], rebase_dates=[]) is None
    assert (
        rebase_suggestion(result(BEFORE + AFTER), notes=[NOTE], rebase_dates=[datetime.date(2025, 1, 1)])
        is None
    )
    assert rebase_suggestion(result(BEFORE + AFTER[:5]), notes=[NOTE], rebase_dates=[]) is None


def test_the_charts_own_shift_length_is_used():
    assert (
        rebase_suggestion(result(BEFORE + AFTER[:6], shift_length=6), notes=[NOTE], rebase_dates=[])
        is not None
    )


@pytest.mark.parametrize(
    ("assurance", "latest", "words"),
    [
        (
            Assurance.FAIL,
            95.0,
            "The latest figure meets the target, but the process limits lie wholly on the wrong",
        ),
        (
            Assurance.PASS,
            80.0,
            "The latest figure misses the target, but the process limits lie wholly on the right",
        ),
        (Assurance.HIT_OR_MISS, 95.0, "The target lies between the process limits"),
    ],
)
def test_the_assurance_icon_explains_itself_when_the_latest_figure_seems_to_disagree(
    assurance, latest, words
):
    assert assurance_note(assurance, latest=latest, target=90.0, higher_is_better=True).startswith(words)


def test_no_words_when_icon_and_latest_figure_agree():
    assert assurance_note(Assurance.FAIL, latest=80.0, target=90.0, higher_is_better=True) == ""
    assert assurance_note(Assurance.PASS, latest=80.0, target=90.0, higher_is_better=False) == ""


@pytest.mark.django_db
def test_the_measure_page_offers_the_rebase_and_taking_it_records_the_reason(login, org, editor, viewer):
    measure = services.measure_create(
        organisation=org, by=editor, name="Falls", kind="value", direction="decrease"
    )
    values = BEFORE + AFTER
    rows = [
        services.ValueRow(measure.pk, day, value=v)
        for day, v in zip(months(len(values)), values, strict=True)
    ]
    services.values_load(organisation=org, by=editor, source="test", rows=rows)
    services.annotation_add(measure=measure, by=editor, date=NOTE[0], text=NOTE[1])
    client = login(viewer)
    viewer_page = client.get(reverse("measure-detail", args=[measure.pk])).content.decode()
    assert "A sustained shift after a change" in viewer_page and "Recalculate limits from" not in viewer_page
    client.logout()
    client = login(editor)
    page = client.get(reverse("measure-detail", args=[measure.pk])).content.decode()
    assert "A sustained shift after a change" in page and "Recalculate limits from 1 January 2025" in page
    client.post(
        reverse("measure-rebase", args=[measure.pk]),
        {
            "date": "2025-01-01",
            "reason": "Sustained shift below the mean from 1 January 2025, after: Huddles started",
        },
    )
    rebase = Rebase.objects.get(measure=measure)
    assert rebase.date == datetime.date(2025, 1, 1) and rebase.reason.startswith("Sustained shift below")
    assert (
        "A sustained shift after a change"
        not in client.get(reverse("measure-detail", args=[measure.pk])).content.decode()
    )
