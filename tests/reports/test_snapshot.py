"""The board paper's JSON snapshot: exact round trips, a stable checksum, and clear refusals."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import json

import pytest
from tests.reports.paper_data import AS_AT

from wellled.reports.board_paper import BoardPaper, MeasureInfo, board_paper_build
from wellled.reports.snapshot import (
    SCHEMA_VERSION,
    SnapshotError,
    canonical_json,
    checksum,
    paper_from_data,
    paper_to_data,
)


@pytest.fixture
def paper(paper_plan, org) -> BoardPaper:
    return board_paper_build(user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=AS_AT)


def through_json(data):
    return json.loads(json.dumps(data))


def test_a_paper_survives_json_exactly(paper):
    data = through_json(paper_to_data(paper))
    again = paper_from_data(data)
    assert again == paper
    assert again.movement.improved and again.exceptions.at_risk and again.part_b  # the nested parts came back
    assert again.generated_at == paper.generated_at and again.generated_at.utcoffset() == datetime.timedelta(
        0
    )
    assert isinstance(again.rows, tuple) and isinstance(again.rows[0].findings, tuple)
    assert again.rows[0].due_date == paper.rows[0].due_date and type(again.rows[0].due_date) is datetime.date


def test_nested_optional_parts_and_unknown_truths_survive(paper):
    # Built from the fields themselves, so the test follows MeasureInfo as it grows.
    samples = {"str": "36.2%", "bool": True, "bool | None": None, "int": 3}
    measure = MeasureInfo(**{f.name: samples[str(f.type)] for f in dataclasses.fields(MeasureInfo)})
    rows = (dataclasses.replace(paper.rows[0], measure=measure), *paper.rows[1:])
    richer = dataclasses.replace(paper, rows=rows)
    again = paper_from_data(through_json(paper_to_data(richer)))
    assert again == richer and again.rows[0].measure == measure


def test_the_json_holds_only_json_types(paper):
    data = paper_to_data(paper)
    assert data["schema"] == SCHEMA_VERSION
    row = data["paper"]["rows"][0]
    assert type(row["state"]) is str and row["state"] == "open"  # a TextChoices member, stored plainly
    assert data["paper"]["as_at"] == "2025-09-30"
    assert canonical_json(data) == canonical_json(through_json(data))


def test_the_checksum_ignores_key_order_but_not_content(paper):
    data = through_json(paper_to_data(paper))
    reordered = json.loads(
        json.dumps(data, sort_keys=False), object_pairs_hook=lambda pairs: dict(reversed(pairs))
    )
    assert list(reordered["paper"]) != list(data["paper"])
    assert checksum(reordered) == checksum(data)
    changed = copy.deepcopy(data)
    changed["paper"]["rows"][0]["title"] += "."
    assert checksum(changed) != checksum(data)
    assert len(checksum(data)) == 64


def test_a_field_missing_from_an_older_snapshot_takes_its_default(paper):
    data = through_json(paper_to_data(paper))
    del data["paper"]["measures"]  # added after schema 1's first papers; it has a default
    del data["paper"]["rows"][0]["measure"]
    data["paper"]["no_longer_a_field"] = "ignored"
    again = paper_from_data(data)
    assert again.measures == () and again.rows[0].measure is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema=99), "Not a board paper snapshot"),
        (lambda d: d["paper"].pop("as_at"), "the snapshot has no as_at"),
        (lambda d: d["paper"].update(total="six"), "paper.total: expected a whole number"),
        (
            lambda d: d["paper"]["rows"][0].update(due_date=20250930),
            "paper.rows\\[0\\].due_date: expected str",
        ),
        (lambda d: d["paper"]["rows"][0].update(overdue=None), "paper.rows\\[0\\].overdue: expected bool"),
    ],
)
def test_a_broken_snapshot_is_refused_saying_where(paper, change, message):
    data = through_json(paper_to_data(paper))
    change(data)
    with pytest.raises(SnapshotError, match=message):
        paper_from_data(data)
