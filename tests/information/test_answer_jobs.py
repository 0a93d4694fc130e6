"""Answering an information request as a background job (issue 24, ADR 0052): the button only queues, the
request's page shows the progress, the worker produces and gives the answer; refusals change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import make_person

from wellled.core.choices import Role
from wellled.information import jobs
from wellled.information import paper_kind as answer_module
from wellled.information.models import Answer, InformationRequest, RequestStatus
from wellled.reports.models import JobState, PaperJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_only(settings):
    """Tasks wait in the queue (as with the database backend and no worker running yet)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_button_only_queues_and_the_page_shows_progress(
    login, register, director, queue_only, monkeypatch
):
    asked = register(their_reference="ICB/1")
    built = []
    real = answer_module.answer_build
    monkeypatch.setattr(answer_module, "answer_build", lambda **k: built.append(1) or real(**k))
    client = login(director)
    response = client.post(reverse("information-request-answer", args=[asked.pk]))
    assert response.status_code == 302
    assert built == []  # nothing built in the request
    asked.refresh_from_db()
    job = PaperJob.objects.get(pk=asked.answer_job_id)
    assert job.state == JobState.QUEUED and job.kind == "answer" and job.requested_by == director
    assert asked.status == RequestStatus.OPEN and not Answer.objects.exists()
    page = client.get(reverse("information-request-detail", args=[asked.pk])).content.decode()
    assert "Producing the answer" in page and 'role="progressbar"' in page
    assert "is being produced" in page
    assert "Produce the answer</button>" not in page  # no second job while one waits
    progress = reverse("information-request-answer-progress", args=[asked.pk])
    fragment = client.get(progress, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'hx-trigger="every 1s"' in fragment.content.decode()
    seen = client.get(progress + f"?seen={job.progress_token}", headers={"HX-Request": "true"})
    assert seen.status_code == 204  # nothing has changed

    paper_id = jobs.answer_job_run(job_id=job.pk)  # what the worker does

    assert built == [1]
    job.refresh_from_db()
    asked.refresh_from_db()
    assert job.state == JobState.DONE and job.paper_id == paper_id and job.percent == 100
    assert asked.status == RequestStatus.ANSWERED and asked.answer.paper_id == paper_id
    done = client.get(progress, headers={"HX-Request": "true"}).content.decode()
    assert "The answer is produced" in done and "hx-trigger" not in done
    assert "Moorland Integrated Care Board" in done  # to whom it was given
    assert jobs.answer_job_run(job_id=job.pk) == paper_id  # delivered twice: run once


def test_asking_again_while_it_waits_is_refused(login, register, director, queue_only):
    asked = register()
    client = login(director)
    client.post(reverse("information-request-answer", args=[asked.pk]))
    response = client.post(reverse("information-request-answer", args=[asked.pk]), follow=True)
    assert jobs.ALREADY_QUEUED in response.content.decode()
    assert PaperJob.objects.filter(kind="answer").count() == 1


def test_a_request_withdrawn_before_the_job_runs_fails_it_in_words(login, register, director, queue_only):
    from wellled.information import services

    asked = register()
    login(director).post(reverse("information-request-answer", args=[asked.pk]))
    asked.refresh_from_db()
    services.request_withdraw(request=asked, by=director, expected_version=asked.version)
    assert jobs.answer_job_run(job_id=asked.answer_job_id) is None
    job = PaperJob.objects.get(pk=asked.answer_job_id)
    assert job.state == JobState.FAILED and "only an open request can be answered" in job.error
    assert not Answer.objects.exists()


def test_a_viewer_cannot_queue_and_a_stranger_cannot_see_the_progress(
    login, register, director, region, queue_only
):
    asked = register()
    viewer = make_person(region, role=Role.VIEWER, username="regionviewer")
    assert login(viewer).post(reverse("information-request-answer", args=[asked.pk])).status_code == 403
    assert not PaperJob.objects.exists()
    assert InformationRequest.objects.get(pk=asked.pk).answer_job_id is None


def test_with_the_immediate_backend_the_answer_is_given_at_once(login, register, director):
    asked = register()
    login(director).post(reverse("information-request-answer", args=[asked.pk]))
    asked.refresh_from_db()
    assert asked.status == RequestStatus.ANSWERED
    assert PaperJob.objects.get(pk=asked.answer_job_id).state == JobState.DONE
