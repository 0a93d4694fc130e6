"""Two-factor sign-in beyond the app: ten recovery codes shown once, kept hashed, each usable once, made anew on
request; an administrator's reset audited and e-mailed; wrong codes make their own session and address wait (with
the wait said), never the person signing in from elsewhere; and the person's own "Your account" page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import PASSWORD

from wellled.core import second_factor
from wellled.core.choices import Role
from wellled.core.models import AuditLog, Membership, RecoveryCode, SecondFactorFailure
from wellled.core.second_factor import recovery_codes_make

pytestmark = pytest.mark.django_db

CODE = re.compile(r"<code>([2-9a-z]{5}-[2-9a-z]{5})</code>")


@pytest.fixture
def lead_with_app(people):
    lead = people[Role.LEAD]
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    return lead, device


def app_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def wrong_app_code(device: TOTPDevice) -> str:
    right = totp(device.bin_key)
    return f"{(right + 1) % 1_000_000:06d}"


def password_step(client: Client, person) -> None:
    response = client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assert response["Location"] == reverse("sign-in-code")


def signed_in(client: Client) -> bool:
    return client.get("/organisation/").status_code == 200


def test_set_up_shows_ten_recovery_codes_once_and_keeps_only_their_digests(login, people):
    lead = people[Role.LEAD]
    client = login(lead)
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=lead)
    shown = client.post(reverse("two-factor-setup"), {"code": app_code(device)})
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    codes = CODE.findall(shown.content.decode())
    assert len(codes) == len(set(codes)) == 10
    stored = " ".join(f"{r.salt} {r.digest}" for r in RecoveryCode.objects.filter(user=lead))
    assert RecoveryCode.objects.filter(user=lead, used_at=None).count() == 10
    assert not any(code.replace("-", "") in stored or code in stored for code in codes)
    assert AuditLog.objects.filter(
        object_id=str(lead.pk), note__startswith="Made 10 new recovery codes"
    ).exists()
    # Shown once: the set-up page now leads to the account page, which shows how many are left, not which.
    assert client.get(reverse("two-factor-setup"))["Location"] == reverse("account")
    account = client.get(reverse("account")).content.decode()
    assert "10 unused recovery codes left" in account
    assert not any(code in account for code in codes)


def test_recovery_code_signs_in_once_and_is_audited(client, lead_with_app):
    lead, _device = lead_with_app
    codes = recovery_codes_make(user=lead, by=lead)
    password_step(client, lead)
    assert "Use one of your recovery codes" in client.get(reverse("sign-in-code")).content.decode()
    typed = "  " + codes[3].upper().replace("-", " ") + " "  # as people type it off paper
    response = client.post(reverse("sign-in-recovery"), {"code": typed})
    assert response.status_code == 302
    page = client.get("/organisation/")
    assert page.status_code == 200 and "9 recovery codes left" in page.content.decode()
    assert AuditLog.objects.filter(
        object_id=str(lead.pk), note="Signed in with a recovery code (9 left)"
    ).exists()

    client.post("/accounts/logout/")
    password_step(client, lead)
    again = client.post(reverse("sign-in-recovery"), {"code": codes[3]})
    assert again.status_code == 200 and "already been used" in again.content.decode()
    assert not signed_in(client)
    assert client.post(reverse("sign-in-recovery"), {"code": codes[4]}).status_code == 302
    assert RecoveryCode.objects.filter(user=lead, used_at=None).count() == 8


def test_new_recovery_codes_void_the_old_ones(login, client, lead_with_app):
    lead, _device = lead_with_app
    old = recovery_codes_make(user=lead, by=lead)
    page = Client()
    page.force_login(lead)
    made = page.post(reverse("two-factor-recovery-codes"))
    new = CODE.findall(made.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert page.get(reverse("two-factor-recovery-codes")).status_code == 405
    password_step(client, lead)
    assert client.post(reverse("sign-in-recovery"), {"code": old[0]}).status_code == 200
    assert client.post(reverse("sign-in-recovery"), {"code": new[0]}).status_code == 302


def test_recovery_codes_are_only_made_by_their_person_and_only_with_an_app(login, people, lead_with_app):
    lead, _device = lead_with_app
    with pytest.raises(PermissionDenied):
        recovery_codes_make(user=lead, by=people[Role.ADMINISTRATOR])
    viewer = login(people[Role.VIEWER])
    assert viewer.post(reverse("two-factor-recovery-codes"))["Location"] == reverse("account")
    assert not RecoveryCode.objects.filter(user=people[Role.VIEWER]).exists()


def test_wrong_codes_make_the_session_wait_and_say_how_long(client, lead_with_app):
    lead, device = lead_with_app
    password_step(client, lead)
    for _ in range(second_factor.FREE_FAILURES_PER_SESSION - 1):
        body = client.post(reverse("sign-in-code"), {"code": wrong_app_code(device)}).content.decode()
        assert "not right" in body and "Try again in" not in body
    last = client.post(reverse("sign-in-code"), {"code": wrong_app_code(device)}).content.decode()
    assert re.search(r"Try again in (\d+) seconds", last).group(1) == "30"
    held = client.post(reverse("sign-in-code"), {"code": app_code(device)})
    assert held.status_code == 429
    assert re.search(r"Try again in \d+ seconds?", held.content.decode())
    assert not signed_in(client)
    # A recovery code is held too: the wait is on the session, whichever code it tries.
    codes = recovery_codes_make(user=lead, by=lead)
    assert client.post(reverse("sign-in-recovery"), {"code": codes[0]}).status_code == 429


def test_attacker_with_the_password_cannot_lock_the_owner_out(lead_with_app):
    """The throttle is per session and address: an attacker burning codes from their own session and network
    holds only themselves up; the owner signs in from theirs at once, with the right code."""
    lead, device = lead_with_app
    for _ in range(second_factor.FREE_FAILURES_PER_ADDRESS):
        attacker = Client(
            REMOTE_ADDR="203.0.113.9"
        )  # a new session each time does not dodge the address's count
        password_step(attacker, lead)
        assert attacker.post(reverse("sign-in-code"), {"code": wrong_app_code(device)}).status_code == 200
    fresh = Client(REMOTE_ADDR="203.0.113.9")
    password_step(fresh, lead)
    assert fresh.post(reverse("sign-in-code"), {"code": app_code(device)}).status_code == 429

    owner = Client(REMOTE_ADDR="198.51.100.20")
    password_step(owner, lead)
    assert owner.post(reverse("sign-in-code"), {"code": app_code(device)}).status_code == 302
    assert signed_in(owner)


def test_right_code_forgets_the_sessions_wrong_ones(client, lead_with_app):
    lead, device = lead_with_app
    password_step(client, lead)
    client.post(reverse("sign-in-code"), {"code": wrong_app_code(device)})
    assert SecondFactorFailure.objects.filter(user=lead).count() == 1
    assert client.post(reverse("sign-in-code"), {"code": app_code(device)}).status_code == 302
    assert not SecondFactorFailure.objects.filter(user=lead).exists()


def test_administrator_reset_removes_the_app_and_codes_audits_and_tells_the_person(
    login, people, lead_with_app, django_capture_on_commit_callbacks
):
    lead, _device = lead_with_app
    recovery_codes_make(user=lead, by=lead)
    membership = Membership.objects.get(user=lead)
    admin = login(people[Role.ADMINISTRATOR])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(reverse("person-two-factor-reset", args=[membership.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert not RecoveryCode.objects.filter(user=lead).exists()
    record = AuditLog.objects.get(object_id=str(lead.pk), note="Two-factor sign-in reset by an administrator")
    assert record.actor == people[Role.ADMINISTRATOR]
    message = mail.outbox[-1]
    assert message.to == [lead.email] and "reset" in message.subject
    assert membership.organisation.name in message.body and "/account/" in message.body


def test_administrator_of_another_organisation_cannot_reset_or_see(login, outsider, lead_with_app):
    lead, _device = lead_with_app
    recovery_codes_make(user=lead, by=lead)
    membership = Membership.objects.get(user=lead)
    client = login(outsider)
    assert client.post(reverse("person-two-factor-reset", args=[membership.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=lead).exists()
    assert RecoveryCode.objects.filter(user=lead).count() == 10
    page = client.get(reverse("account")).content.decode()
    assert lead.email not in page and lead.get_full_name() not in page


def test_account_page_is_in_the_header_and_shows_the_persons_own_account(login, people, org, other_org):
    from wellled.core.services import membership_set

    lead = people[Role.LEAD]
    membership_set(user=lead, organisation=other_org, role=Role.VIEWER, by=None)
    client = login(lead)
    assert 'href="/account/"' in client.get("/organisation/").content.decode()
    page = client.get(reverse("account")).content.decode()
    for text in (
        "Your account",
        lead.email,
        org.name,
        other_org.name,
        "Turn on two-factor sign-in",
        reverse("api-tokens"),
        "Reminders to record progress",
        "You cannot turn them off",
    ):
        assert text in page, text
    assert people[Role.VIEWER].email not in page
