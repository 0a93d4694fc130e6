"""The quarterly counts outside the case log: the API serves a quarter's return as suppressed counts only, to every
role's token (a guardian's too), and nothing of another trust; no API path reads cases."""

from __future__ import annotations

import json

import pytest

from wellled.ftsu.periods import Quarter
from wellled.ftsu.returns import quarter_return

pytestmark = pytest.mark.django_db
QUARTER = "2024/25 Q2"


@pytest.fixture
def token_for():
    def _token(user, organisation=None):
        from wellled.api.services import token_create
        from wellled.core.models import Membership

        organisation = organisation or Membership.objects.filter(user=user).first().organisation
        return token_create(user=user, organisation=organisation, name="Tests", by=user)[1]

    return _token


def _get(client, token, quarter=QUARTER):
    return client.get(
        f"/api/speak-up/return/?quarter={quarter}", headers={"Authorization": f"Bearer {token}"}
    )


def test_every_role_reads_only_the_suppressed_counts(
    client, org, people, guardian, champion, year_of_cases, token_for
):
    shown = quarter_return(user=None, organisation=org, quarter=Quarter(2024, 2), suppressed=True)
    exact = quarter_return(user=guardian, organisation=org, quarter=Quarter(2024, 2), suppressed=False)
    assert any(0 < c.count < 5 for c in exact.cells), "the quarter should hold small counts to protect"
    expected = {(c.table, c.code): c.shown for c in shown.cells}
    for person in [*people.values(), champion, guardian]:
        response = _get(client, token_for(person))
        assert response.status_code == 200, person.username
        body = response.json()
        assert {(c["table"], c["code"]): c["shown"] for c in body["cells"]} == expected
        assert set(body["cells"][0]) == {"table", "code", "label", "shown"}  # no exact count field
        for cell in body["cells"] + body["totals"]:
            assert not (cell["shown"].isdigit() and 0 < int(cell["shown"]) < 5), (person.username, cell)


def test_another_trusts_token_reads_its_own_nil_return_and_a_bad_quarter_is_refused(
    client, other_guardian, year_of_cases, token_for
):
    body = _get(client, token_for(other_guardian)).json()
    assert body["organisation"] == "ZST01" and body["nil"] is True
    assert _get(client, token_for(other_guardian), "Q7").status_code == 400


def test_no_api_path_reads_cases(client, people, token_for):
    schema = json.loads(
        client.get(
            "/api/schema/?format=json", headers={"Authorization": f"Bearer {token_for(people['viewer'])}"}
        ).content
    )
    speak_up = [path for path in schema["paths"] if "speak" in path or "case" in path]
    assert speak_up == ["/api/speak-up/return/"]
