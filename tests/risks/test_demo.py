"""The demo register: about 60 risks across the demo trust's directorates, a BAF of 8 to 12 principal risks linked to
the demo plans' actions and measures, dates counted from the load day, loaded once."""

import datetime

import pytest

from wellled.core.models import Organisation
from wellled.demo.loader import DemoDates
from wellled.demo.risks import demo_spec, register_load
from wellled.demo.steps import STEPS, demo_run
from wellled.reports.models import IssuedPaper, PaperKind
from wellled.risks.models import Risk

pytestmark = pytest.mark.django_db
LOAD_DAY = datetime.date(2026, 12, 3)


@pytest.fixture
def loaded():
    """The whole demo, through its load steps, on a fixed load day."""
    demo_run(dates=DemoDates(today=LOAD_DAY))
    return Organisation.objects.get(ods_code="ZNM")


def test_risks_step_runs_after_the_measures_it_links_to():
    names = [step.name for step in STEPS]
    assert names.index("risk registers and the BAF") > names.index("measures")


def test_demo_register_and_baf_when_loaded(loaded):
    risks = Risk.objects.filter(organisation=loaded)
    assert 55 <= risks.count() <= 65
    assert risks.exclude(unit=None).values("unit").distinct().count() >= 8
    principal = risks.filter(principal=True)
    assert 8 <= principal.count() <= 12
    assert all(r.objective_id and r.lead_committee and r.lead_executive_id for r in principal)
    assert principal.filter(actions__isnull=False).distinct().count() >= 8
    assert principal.filter(measures__isnull=False).distinct().count() >= 5
    # Escalated by each trust's own threshold (Eastvale's is 12).
    for risk in Risk.objects.filter(organisation__ods_code__in=["ZNM", "ZEV"]).select_related("organisation"):
        threshold = demo_spec()[risk.organisation.ods_code]["threshold"]
        assert risk.escalated == (risk.status != "closed" and risk.current_score >= threshold), risk


def test_demo_dates_count_from_the_load_day_when_loaded(loaded):
    risks = Risk.objects.filter(organisation=loaded)
    overdue = risks.filter(next_review_on__lt=LOAD_DAY).exclude(status="closed").count()
    assert 5 <= overdue <= 20
    assert risks.filter(next_review_on__gt=LOAD_DAY).count() > 30
    assert risks.filter(opened_on__gt=LOAD_DAY).count() == 0
    # A BAF was issued before the load day, so the BAF page shows movement since then.
    issued = IssuedPaper.objects.get(organisation=loaded, kind=PaperKind.BAF)
    assert issued.as_at == LOAD_DAY - datetime.timedelta(days=demo_spec()["ZNM"]["baf_issued_days_ago"])
    assert issued.data_intact


def test_demo_load_changes_nothing_when_run_again(loaded):
    before = Risk.objects.count()
    assert register_load(organisation=loaded, today=LOAD_DAY) == 0
    assert Risk.objects.count() == before
