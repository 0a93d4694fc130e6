"""People and roles, single sign-on set-up and invitations through the pages: who may open each page (every name
in core.people_urls and plans.people_urls is listed here), another organisation's people are 404, and what an
administrator does changes what it should, audited."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from tests.factories import PASSWORD, db_state
from tests.spreadsheets import HEADER, xlsx_file

from wellled.core.choices import Role
from wellled.core.models import AuditLog, Invitation, Membership, SingleSignOn, User
from wellled.core.people_urls import urlpatterns as people_urls
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans.models import Action
from wellled.plans.people_urls import urlpatterns as person_action_urls
from wellled.plans.spreadsheet.importer import plan_import_apply

# Pages naming a person (a membership of the organisation) and those that do not; POST-only ones answer GET 405.
PERSON_PAGES = {
    "person-detail",
    "person-role",
    "person-edit",
    "person-invitation-send",
    "person-two-factor-reset",
    "person-merge",
    "person-deactivate",
    "person-actions",
}
ORGANISATION_PAGES = {"people-list", "person-invite", "single-sign-on", "two-factor-requirement"}
POST_ONLY = {
    "person-invitation-send",
    "person-two-factor-reset",
    "two-factor-requirement",
    "two-factor-recovery-codes",
}
# Reached without signing in (the token or the provider's answer is the credential), or by anyone signed in.
PUBLIC = {
    "invitation-accept",
    "sign-in-code",
    "sign-in-recovery",
    "openid_connect_login",
    "openid_connect_callback",
}
# The person's own: nothing of anyone else is named (tests/core/test_two_factor.py).
SIGNED_IN_ANY = {"two-factor-setup", "two-factor-recovery-codes", "account"}


def all_names():
    from django.urls import URLResolver

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            else:
                yield p.name

    return set(walk([*people_urls, *person_action_urls]))


def state():
    """db_state plus the people tables it does not cover."""
    rows = db_state()
    for model in (User, Invitation, SingleSignOn):
        rows[model.__name__] = sorted(repr(r) for r in model.objects.order_by("pk").values())
    return rows


def url(name, membership=None):
    return reverse(name, args=[membership.pk]) if name in PERSON_PAGES else reverse(name)


@pytest.fixture
def placeholder(org, editor):
    """The "Invited" lead the spreadsheet import creates for initials it does not know, leading the action W9a."""
    rows = [
        HEADER,
        ["W9 Imported workstream"],
        ["W9a", "Coach ward leaders", "March 2026", "JQ", "60 coached", None, "A/G"],
    ]
    plan_import_apply(
        organisation=org, plan_or_none=None, file=xlsx_file(rows), by=editor, plan_name="Imported plan"
    )
    person = User.objects.get(memberships__organisation=org, initials="JQ")
    assert Action.objects.get(reference="W9a").lead == person
    return person


@pytest.fixture
def membership(placeholder, org):
    return Membership.objects.get(user=placeholder, organisation=org)


def test_every_people_page_has_a_decision_when_the_url_map_changes():
    assert all_names() == PERSON_PAGES | ORGANISATION_PAGES | PUBLIC | SIGNED_IN_ANY


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_when_opening_any_people_page(client, membership):
    for name in PERSON_PAGES | ORGANISATION_PAGES | SIGNED_IN_ANY:
        response = client.get(url(name, membership))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), name


@pytest.mark.django_db
def test_administrator_opens_every_people_page_when_the_person_is_theirs(login, people, membership):
    client = login(people[Role.ADMINISTRATOR])
    for name in PERSON_PAGES | ORGANISATION_PAGES:
        assert client.get(url(name, membership)).status_code == (405 if name in POST_ONLY else 200), name


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEAD, Role.GOVERNANCE_EDITOR])
def test_non_administrator_gets_403_and_changes_nothing_when_opening_or_posting(
    login, people, membership, role
):
    client = login(people[role])
    before = state()
    for name in PERSON_PAGES | ORGANISATION_PAGES:
        if name not in POST_ONLY:
            assert client.get(url(name, membership)).status_code == 403, name
        data = {"role": Role.ADMINISTRATOR, "email": "x@example.org", "version": 1, "required": "on"}
        assert client.post(url(name, membership), data).status_code == 403, name
    assert state() == before


@pytest.mark.django_db
def test_administrator_of_another_organisation_gets_404_and_changes_nothing(
    login, outsider, membership, people
):
    client = login(outsider)
    before = state()
    for target in (membership, Membership.objects.get(user=people[Role.VIEWER])):
        for name in PERSON_PAGES:
            if name not in POST_ONLY:
                assert client.get(url(name, target)).status_code == 404, name
            data = {
                "role": Role.ADMINISTRATOR,
                "version": target.version,
                "into": outsider.pk,
                "to": outsider.pk,
            }
            assert client.post(url(name, target), data).status_code == 404, name
    body = client.get(reverse("people-list")).content.decode()
    assert "JQ" not in body and people[Role.VIEWER].email not in body
    assert state() == before


def invitation_link() -> str:
    return re.search(r"(/accounts/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)


@pytest.mark.django_db
def test_invited_person_sets_a_password_once_and_signs_in(
    login, people, org, client, django_capture_on_commit_callbacks
):
    admin_client = login(people[Role.ADMINISTRATOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("person-invite"),
            {
                "email": "Priya.Shah@northmoor.nhs.uk",
                "first_name": "Priya",
                "last_name": "Shah",
                "role": Role.LEAD,
            },
        )
    assert response.status_code == 302
    person = User.objects.get(email="Priya.Shah@northmoor.nhs.uk")
    assert Membership.objects.get(user=person).role == Role.LEAD and not person.has_usable_password()
    assert (
        mail.outbox[-1].to == ["Priya.Shah@northmoor.nhs.uk"]
        and "Northmoor Test Trust" in mail.outbox[-1].subject
    )
    link = invitation_link()
    assert Invitation.objects.get(person=person).token_digest not in mail.outbox[-1].body
    admin_client.post("/accounts/logout/")

    weak = client.post(link, {"password": "password", "confirm": "password"})
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    chosen = "a-long-enough-passphrase"
    assert client.post(link, {"password": chosen, "confirm": chosen})["Location"] == reverse("login")
    assert (
        client.post(
            "/accounts/login/", {"username": "priya.shah@northmoor.nhs.uk", "password": chosen}
        ).status_code
        == 302
    )
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 410  # once only
    assert (
        client.post(
            link, {"password": "another-long-passphrase", "confirm": "another-long-passphrase"}
        ).status_code
        == 410
    )
    assert AuditLog.objects.filter(
        object_id=str(person.pk), note="Set a password from an invitation"
    ).exists()


@pytest.mark.django_db
def test_invitation_link_is_refused_when_it_has_expired(
    login, people, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(people[Role.ADMINISTRATOR]).post(
            reverse("person-invite"), {"email": "late@northmoor.nhs.uk", "role": Role.VIEWER}
        )
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.post("/accounts/logout/")
    response = client.post(
        invitation_link(), {"password": "a-long-enough-passphrase", "confirm": "a-long-enough-passphrase"}
    )
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.get(email="late@northmoor.nhs.uk").has_usable_password()


@pytest.mark.django_db
def test_person_of_another_organisation_keeps_one_account_when_invited(
    login, people, outsider, org, django_capture_on_commit_callbacks
):
    clash = login(people[Role.ADMINISTRATOR]).post(
        reverse("person-invite"), {"email": outsider.email, "role": Role.VIEWER}
    )
    assert "already stands for" in clash.content.decode()  # both are "AP": boards could not tell them apart
    User.objects.filter(pk=outsider.pk).update(initials="OW")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people[Role.ADMINISTRATOR]).post(
            reverse("person-invite"), {"email": outsider.email.upper(), "role": Role.VIEWER}
        )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=outsider.email).count() == 1
    assert set(outsider.memberships.values_list("organisation__ods_code", "role")) == {
        ("ZST01", Role.ADMINISTRATOR),
        ("ZNT01", Role.VIEWER),
    }


@pytest.mark.django_db
def test_role_change_is_audited_and_the_last_administrator_cannot_be_demoted(login, people, org):
    admin = people[Role.ADMINISTRATOR]
    client = login(admin)
    viewer = Membership.objects.get(user=people[Role.VIEWER])
    response = client.post(
        reverse("person-role", args=[viewer.pk]), {"role": Role.GOVERNANCE_EDITOR, "version": viewer.version}
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.role == Role.GOVERNANCE_EDITOR
    record = AuditLog.objects.filter(object_id=str(viewer.pk)).first()
    assert (record.actor, record.before["role"], record.after["role"]) == (
        admin,
        Role.VIEWER,
        Role.GOVERNANCE_EDITOR,
    )

    stale = client.post(
        reverse("person-role", args=[viewer.pk]), {"role": Role.LEAD, "version": viewer.version - 1}
    )
    assert stale.status_code == 200 and "changed by someone else" in stale.content.decode()
    own = Membership.objects.get(user=admin)
    refused = client.post(
        reverse("person-role", args=[own.pk]), {"role": Role.VIEWER, "version": own.version}
    )
    assert "must keep at least one administrator" in refused.content.decode()
    assert Membership.objects.get(user=admin).role == Role.ADMINISTRATOR


@pytest.mark.django_db
def test_initials_stay_unique_within_the_organisation(login, people, membership, lead):
    client = login(people[Role.ADMINISTRATOR])
    response = client.post(
        reverse("person-edit", args=[membership.pk]),
        {"first_name": "Jo", "last_name": "Quinn", "initials": lead.display_initials.lower(), "version": 1},
    )
    assert response.status_code == 200
    assert f"already stands for {lead}" in response.content.decode()
    assert User.objects.get(pk=membership.user_id).initials == "JQ"


@pytest.mark.django_db
def test_imported_lead_is_set_up_with_a_name_and_email_and_invited(
    login, people, membership, django_capture_on_commit_callbacks
):
    client = login(people[Role.ADMINISTRATOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person-edit", args=[membership.pk]),
            {
                "first_name": "Jo",
                "last_name": "Quinn",
                "email": "jo.quinn@northmoor.nhs.uk",
                "initials": "JQ",
                "version": 1,
                "send_invitation": "on",
            },
        )
    assert response.status_code == 302
    person = User.objects.get(pk=membership.user_id)
    assert (str(person), person.email, person.initials) == ("Jo Quinn", "jo.quinn@northmoor.nhs.uk", "JQ")
    assert mail.outbox[-1].to == ["jo.quinn@northmoor.nhs.uk"]


@pytest.mark.django_db
def test_imported_lead_merged_into_an_existing_person_hands_over_their_actions(
    login, people, membership, plan, editor
):
    from wellled.plans import services as plan_services

    action = Action.objects.get(reference="W9a")  # the import made the placeholder its lead
    version = action.version
    co_led = Action.objects.get(plan=plan, reference="W1b")
    plan_services.action_update(
        action=co_led, by=editor, expected_version=AS_IT_STANDS, other_leads=[membership.user]
    )
    real = people[Role.VIEWER]
    client = login(people[Role.ADMINISTRATOR])
    response = client.post(reverse("person-merge", args=[membership.pk]), {"into": real.pk})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.version == version + 1  # an editor with the action open is told it changed
    assert action.lead == real and list(Action.objects.get(pk=co_led.pk).other_leads.all()) == [real]
    membership.refresh_from_db()
    assert not membership.active and not User.objects.get(pk=membership.user_id).is_active
    assert AuditLog.objects.filter(object_id=str(action.pk), note="Merged an imported person").exists()
    # Someone who has signed in is never merged away.
    signed_in = Membership.objects.get(user=people[Role.LEAD])
    refused = client.post(reverse("person-merge", args=[signed_in.pk]), {"into": real.pk})
    assert refused.status_code == 200 and "cannot be merged" in refused.content.decode()


@pytest.mark.django_db
def test_leaver_is_deactivated_keeps_history_and_their_open_actions_are_reassigned(
    login, people, plan, client
):
    admin, lead = people[Role.ADMINISTRATOR], people[Role.LEAD]
    admin_client = login(admin)
    leaving = Membership.objects.get(user=lead)
    url = reverse("person-deactivate", args=[leaving.pk])
    # The page warns what they lead and offers only people who can act; without a successor nothing changes.
    page = admin_client.get(url).content.decode()
    assert "3 open actions they lead or co-lead" in page and "W1a" in page
    assert str(people[Role.VIEWER]) not in page
    refused = admin_client.post(url, {"version": leaving.version})
    assert refused.status_code == 200 and "Choose who takes on their open work" in refused.content.decode()
    viewer = admin_client.post(url, {"version": leaving.version, "successor": people[Role.VIEWER].pk})
    assert viewer.status_code == 200 and Membership.objects.get(pk=leaving.pk).active
    to = people[Role.GOVERNANCE_EDITOR]
    response = admin_client.post(url, {"version": leaving.version, "successor": to.pk})
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert not leaving.active and leaving.ended_at is not None
    assert User.objects.filter(pk=lead.pk).exists() and not User.objects.get(pk=lead.pk).is_active
    assert set(Action.objects.filter(plan=plan).values_list("lead", flat=True)) == {to.pk}
    page = admin_client.get(reverse("person-actions", args=[leaving.pk])).content.decode()
    assert "leads no open actions" in page
    assert "Left" in admin_client.get(reverse("people-list")).content.decode()
    other = client.__class__()
    assert (
        other.post("/accounts/login/", {"username": lead.username, "password": PASSWORD}).status_code == 200
    )


@pytest.mark.django_db
def test_administrator_cannot_deactivate_themselves(login, people):
    admin = people[Role.ADMINISTRATOR]
    own = Membership.objects.get(user=admin)
    response = login(admin).post(reverse("person-deactivate", args=[own.pk]), {"version": own.version})
    assert response.status_code == 200 and "cannot deactivate yourself" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).active


@pytest.mark.django_db
def test_a_leaver_of_one_organisation_keeps_the_other(login, people, outsider, other_org):
    from wellled.core.services import membership_set

    membership_set(
        user=outsider,
        organisation=people[Role.ADMINISTRATOR].memberships.get().organisation,
        role=Role.VIEWER,
        by=None,
    )
    here = Membership.objects.get(user=outsider, organisation__ods_code="ZNT01")
    login(people[Role.ADMINISTRATOR]).post(
        reverse("person-deactivate", args=[here.pk]), {"version": here.version}
    )
    outsider.refresh_from_db()
    assert outsider.is_active and Membership.objects.get(user=outsider, organisation=other_org).active


@pytest.mark.django_db
def test_single_sign_on_secret_is_kept_encrypted_and_never_shown(login, people, org):
    client = login(people[Role.ADMINISTRATOR])
    data = {
        "enabled": "on",
        "issuer": "https://login.microsoftonline.com/0000-tenant/v2.0",
        "client_id": "app-client-id",
        "client_secret": "the-very-secret-value",
        "allowed_domains": "Northmoor.nhs.uk, @nhs.net",
        "new_person_role": Role.VIEWER,
    }
    assert client.post(reverse("single-sign-on"), data).status_code == 302
    sign_on = SingleSignOn.objects.get(organisation=org)
    assert sign_on.domains == ["northmoor.nhs.uk", "nhs.net"]
    assert "the-very-secret-value" not in sign_on.client_secret_encrypted
    page = client.get(reverse("single-sign-on")).content.decode()
    assert "the-very-secret-value" not in page and "app-client-id" in page
    assert "/accounts/oidc/org-znt01/login/callback/" in page
    record = AuditLog.objects.filter(object_id=str(sign_on.pk)).first()
    assert "client_secret_encrypted" not in record.after
    # A blank secret keeps the stored one.
    assert (
        client.post(
            reverse("single-sign-on"), {**data, "client_secret": "", "version": sign_on.version}
        ).status_code
        == 302
    )
    from wellled.core.crypto import unseal

    assert unseal(SingleSignOn.objects.get(pk=sign_on.pk).client_secret_encrypted) == "the-very-secret-value"
    assert (
        client.post(reverse("single-sign-on"), {**data, "new_person_role": Role.ADMINISTRATOR}).status_code
        == 200
    )


@pytest.mark.django_db
def test_sign_in_asks_for_the_authenticator_code_once_two_factor_is_on(login, people, client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    lead = people[Role.LEAD]
    signed_in = login(lead)
    assert signed_in.get(reverse("two-factor-setup")).status_code == 200
    device = TOTPDevice.objects.get(user=lead)
    assert (
        signed_in.post(
            reverse("two-factor-setup"), {"code": "000000" if totp(device.bin_key) else "111111"}
        ).status_code
        == 200
    )
    device.refresh_from_db()
    assert not device.confirmed
    codes = signed_in.post(reverse("two-factor-setup"), {"code": f"{totp(device.bin_key):06d}"})
    assert codes.status_code == 200 and "Keep these codes safe now" in codes.content.decode()
    assert TOTPDevice.objects.get(user=lead).confirmed
    signed_in.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"username": lead.username, "password": PASSWORD})
    assert response["Location"] == reverse("sign-in-code")
    assert client.get("/organisation/").status_code == 302  # not signed in yet
    wrong = client.post(reverse("sign-in-code"), {"code": "12345x"})
    assert wrong.status_code == 200 and "Enter the 6 digits" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=lead)
    device.last_t = -1
    device.throttling_failure_count = 0
    device.save()
    assert client.post(reverse("sign-in-code"), {"code": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert client.get("/organisation/").status_code == 200


@pytest.mark.django_db
def test_administrator_resets_the_two_factor_sign_in_of_someone_who_lost_their_phone(login, people, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    lead = people[Role.LEAD]
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    assert client.post("/accounts/login/", {"username": lead.username, "password": PASSWORD})["Location"] == (
        reverse("sign-in-code")
    )
    membership = Membership.objects.get(user=lead)
    admin_client = login(people[Role.ADMINISTRATOR])
    assert "Reset" in admin_client.get(reverse("person-detail", args=[membership.pk])).content.decode()
    assert admin_client.post(reverse("person-two-factor-reset", args=[membership.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert AuditLog.objects.filter(
        note="Two-factor sign-in reset by an administrator", object_id=str(lead.pk)
    ).exists()


@pytest.mark.django_db
def test_organisation_requiring_two_factor_sends_password_users_to_set_it_up(login, people, org):
    admin = people[Role.ADMINISTRATOR]
    client = login(admin)
    assert client.post(reverse("two-factor-requirement"), {"required": "on"}).status_code == 302
    org.refresh_from_db()
    assert org.two_factor_required
    response = client.get("/plans/")
    assert response.status_code == 302 and response["Location"] == reverse("two-factor-setup")
    assert client.get(reverse("two-factor-setup")).status_code == 200


@pytest.mark.django_db
def test_invitation_offers_single_sign_on_and_no_password_when_the_domain_uses_it(
    login, people, org, client, django_capture_on_commit_callbacks
):
    from wellled.core.services import single_sign_on_set

    admin = people[Role.ADMINISTRATOR]
    single_sign_on_set(
        organisation=org,
        by=admin,
        expected_version=AS_IT_STANDS,
        enabled=True,
        issuer="https://login.microsoftonline.com/0000-tenant/v2.0",
        client_id="app",
        client_secret="secret-value",
        allowed_domains="northmoor.nhs.uk",
        new_person_role=Role.VIEWER,
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(admin).post(reverse("person-invite"), {"email": "kai.berg@northmoor.nhs.uk", "role": Role.LEAD})
    client.post("/accounts/logout/")
    link = invitation_link()
    page = client.get(link)
    body = page.content.decode()
    assert 'action="/accounts/oidc/org-znt01/login/"' in body and "Choose a password" not in body
    assert "form-action 'self' https://login.microsoftonline.com" in page["Content-Security-Policy"]
    client.post(link, {"password": "a-long-enough-passphrase", "confirm": "a-long-enough-passphrase"})
    assert not User.objects.get(email="kai.berg@northmoor.nhs.uk").has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["governance editor", "administrator of another organisation"])
def test_services_refuse_a_non_administrator_whatever_a_page_checked(people, org, membership, outsider, who):
    from django.core.exceptions import PermissionDenied

    from wellled.core import services

    viewer_membership = Membership.objects.get(user=people[Role.VIEWER])
    by = people[Role.GOVERNANCE_EDITOR] if who == "governance editor" else outsider
    before = state()
    attempts = [
        lambda: services.person_invite(
            organisation=org, by=by, email="new@northmoor.nhs.uk", role=Role.VIEWER
        ),
        lambda: services.person_role_set(
            membership=viewer_membership, role=Role.ADMINISTRATOR, by=by, expected_version=AS_IT_STANDS
        ),
        lambda: services.person_deactivate(
            membership=viewer_membership, by=by, expected_version=AS_IT_STANDS
        ),
        lambda: services.person_merge(
            placeholder=membership.user, into=people[Role.VIEWER], organisation=org, by=by
        ),
        lambda: services.invitation_send(organisation=org, person=people[Role.VIEWER], by=by),
        lambda: services.two_factor_required_set(organisation=org, required=True, by=by),
        lambda: services.single_sign_on_set(
            organisation=org,
            by=by,
            expected_version=AS_IT_STANDS,
            enabled=True,
            issuer="https://idp.example",
            client_id="x",
            client_secret="y",
            allowed_domains="example.org",
            new_person_role=Role.VIEWER,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert state() == before


@pytest.mark.django_db
def test_audit_log_shows_people_changes_and_never_the_client_secret(login, people, membership):
    client = login(people[Role.ADMINISTRATOR])
    client.post(
        reverse("single-sign-on"),
        {
            "issuer": "https://login.microsoftonline.com/0000-tenant/v2.0",
            "client_id": "app-client-id",
            "client_secret": "the-very-secret-value",
            "allowed_domains": "northmoor.nhs.uk",
            "new_person_role": Role.VIEWER,
        },
    )
    client.post(
        reverse("person-role", args=[membership.pk]), {"role": Role.VIEWER, "version": membership.version}
    )
    page = client.get(reverse("audit-log"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Single sign-on for Northmoor Test Trust" in body and "the-very-secret-value" not in body


@pytest.mark.django_db
def test_newcomers_get_initials_no_one_in_the_organisation_has(people, org):
    from wellled.core.services import initials_free, person_invite

    admin = people[Role.ADMINISTRATOR]
    assert admin.display_initials == "AP"
    assert initials_free(first_name="Ann", last_name="Pike", organisation=org) == "APi"
    invitation = person_invite(
        organisation=org,
        by=admin,
        email="ann.pike@example.org",
        role=Role.VIEWER,
        first_name="Ann",
        last_name="Pike",
    )
    assert invitation.person.initials == "APi"
    assert initials_free(first_name="Al", last_name="Pi", organisation=org) == "AP2"
