"""Every register's import form refuses a post without a file in the same words (core.forms.workbook_field)."""

import pytest

from wellled.accreditation.forms import WardsImportForm
from wellled.core.forms import WORKBOOK_REQUIRED
from wellled.improvement.forms import ProjectsImportForm
from wellled.oversight.forms import CriteriaImportForm


@pytest.mark.parametrize("form_class", [WardsImportForm, ProjectsImportForm, CriteriaImportForm])
def test_an_import_without_a_file_is_refused_in_the_house_words(form_class):
    form = form_class({}, {})
    assert not form.is_valid()
    assert form.errors["file"] == ["Choose the workbook to import"] == [WORKBOOK_REQUIRED]
