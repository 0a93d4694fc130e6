"""People and roles, single sign-on and two-factor sign-in pages, the person's own account page, the invitation link, and the OpenID Connect
journey (allauth's views). Their scoping and permissions are tried in tests/core/test_people_views.py, which
lists every one of these names."""

from django.urls import include, path

from wellled.core.url_kit import record_paths

from . import account_views, people_views, two_factor

urlpatterns = [
    path("organisation/people/", people_views.people_list, name="people-list"),
    path("organisation/people/invite/", people_views.person_invite, name="person-invite"),
    *record_paths("organisation/people/", people_views, "person", ("detail", "role", "merge", "deactivate")),
    path("organisation/people/<int:pk>/details/", people_views.person_edit, name="person-edit"),
    path(
        "organisation/people/<int:pk>/invitation/",
        people_views.person_invitation_send,
        name="person-invitation-send",
    ),
    path(
        "organisation/people/<int:pk>/two-factor/reset/",
        people_views.person_two_factor_reset,
        name="person-two-factor-reset",
    ),
    path("organisation/sign-on/", people_views.single_sign_on, name="single-sign-on"),
    path(
        "organisation/sign-on/two-factor/", people_views.two_factor_requirement, name="two-factor-requirement"
    ),
    path("accounts/invitation/<str:token>/", people_views.invitation_accept, name="invitation-accept"),
    path("accounts/login/code/", two_factor.sign_in_code, name="sign-in-code"),
    path("accounts/login/recovery-code/", two_factor.sign_in_recovery, name="sign-in-recovery"),
    path("accounts/two-factor/", two_factor.two_factor_setup, name="two-factor-setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        two_factor.recovery_codes_regenerate,
        name="two-factor-recovery-codes",
    ),
    path("account/", account_views.account, name="account"),
    # /accounts/oidc/<provider id>/login/ and .../login/callback/ (allauth's OPENID_CONNECT_URL_PREFIX is "oidc").
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
]
