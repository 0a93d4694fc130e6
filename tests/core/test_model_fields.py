"""The shared field factories (core/fields.py) and shared choices keep the database as the migrations describe it:
folding a repeated field or label must never change a column, a constraint or a stored value."""

import io

import pytest
from django.core.management import call_command
from django.db import models

from wellled.core.fields import optional_link, person_who
from wellled.core.models import OrganisationUnit, User


@pytest.mark.django_db
def test_models_match_their_migrations():
    out = io.StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()


def test_an_optional_link_may_be_empty_and_protects_what_it_points_at():
    field = optional_link(OrganisationUnit, related_name="risks", help_text="Its directorate.")

    assert (field.null, field.blank, field.remote_field.on_delete, field.remote_field.related_name) == (
        True,
        True,
        models.PROTECT,
        "risks",
    )


def test_the_person_who_acted_is_kept_and_needs_no_form_field():
    field = person_who()

    assert (field.remote_field.model, field.null, field.blank, field.remote_field.on_delete) == (
        User,
        True,
        False,
        models.PROTECT,
    )
