"""Two-factor sign-in for Wellled passwords (ADR 0026): a time-based code from an authenticator app (RFC 6238,
django-otp's TOTP device, which refuses a code used twice), or one of the person's recovery codes; wrong codes
make the session and address they came from wait (core.second_factor)."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from .auth import client_address
from .formatting import counted
from .forms import CodeForm, RecoveryCodeForm
from .second_factor import (
    Attempt,
    recovery_code_use,
    recovery_codes_make,
    wrong_code_note,
    wrong_code_wait,
    wrong_codes_forget,
)
from .services import two_factor_enable
from .view_kit import SignedInRequest

PASSWORD_SIGN_IN_KEY = "wellled_password_sign_in"  # noqa: S105 (a session key, not a password)
PENDING_KEY = "wellled_pending_sign_in"
# The password step is good for this long while the person finds their phone.
PENDING_SECONDS = 5 * 60
WRONG_CODE = "That code is not right, or has already been used: enter the code the app shows now"
WRONG_RECOVERY_CODE = "That is not one of your recovery codes, or it has already been used"
WAIT = "Too many wrong codes have been tried from here. Try again in {wait}"


def has_two_factor(user) -> bool:
    """True once the person has confirmed an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def password_step_done(request: HttpRequest, user, next_url: str) -> HttpResponse | None:
    """After a right password: ask for the code if the person has an app (returning that redirect), else None."""
    if not has_two_factor(user):
        return None
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }
    return redirect("sign-in-code")


def _second_step(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    check: Callable[[Any, TOTPDevice, str], int | bool | None],
    wrong: str,
    template: str,
    signed_in: Callable[[HttpRequest, Any], None] | None = None,
) -> HttpResponse:
    """The second step of signing in with a password, with the code `check` accepts (True, or a count, for a
    right one). Wrong codes make this session and address wait (second_factor.wrong_code_wait), and the page says
    for how long; the person signing in from another session or address is not held up."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "Sign in again: the code was not entered in time.")
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
    if user is None or device is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("login")
    form = form_class(request.POST or None)
    where = Attempt(user=user, session_key=request.session.session_key, address=client_address(request))
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = wrong_code_wait(where)
        if not wait:
            outcome = check(user, device, form.cleaned_data["code"].strip())
            if outcome is not None and outcome is not False:
                wrong_codes_forget(where)
                next_url = pending.get("next") or "/"
                request.session.pop(PENDING_KEY, None)
                login(request, user, backend=pending["backend"])
                request.session[PASSWORD_SIGN_IN_KEY] = True
                if signed_in is not None:
                    signed_in(request, outcome)
                safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
                return redirect(next_url if safe else "/")
            wrong_code_note(where)
            wait = wrong_code_wait(where)
            form.add_error(
                "code", f"{wrong}. " + WAIT.format(wait=counted(wait, "second")) if wait else wrong
            )
            wait = 0  # this answer is the wrong code; the next one, if early, is the wait
        else:
            form.add_error("code", WAIT.format(wait=counted(wait, "second")))
    return render(request, template, {"form": form}, status=429 if wait else 200)


def _app_code(user, device: TOTPDevice, code: str) -> bool:
    return device.verify_token(code)


def _recovery_code(user, device: TOTPDevice, code: str) -> int | None:
    return recovery_code_use(user=user, typed=code)


def _recovery_signed_in(request: HttpRequest, left: int) -> None:
    advice = " Make new ones on your account page before they run out." if left <= 3 else ""
    codes = counted(left, "recovery code")
    messages.warning(request, f"You signed in with a recovery code. You have {codes} left.{advice}")


def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in with a password: the code from the authenticator app."""
    return _second_step(
        request, form_class=CodeForm, check=_app_code, wrong=WRONG_CODE, template="core/sign_in_code.jinja"
    )


def sign_in_recovery(request: HttpRequest) -> HttpResponse:
    """The second step of signing in with a password, for someone without their app: one of their recovery codes,
    which then stops working."""
    return _second_step(
        request,
        form_class=RecoveryCodeForm,
        check=_recovery_code,
        wrong=WRONG_RECOVERY_CODE,
        template="core/sign_in_recovery.jinja",
        signed_in=_recovery_signed_in,
    )


def _qr_svg(url: str) -> Markup:
    """The provisioning link as an inline SVG QR code (no image request, nothing for the policy to block)."""
    import io

    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1))  # noqa: S704


def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Turn on two-factor sign-in: scan the QR code (or type the key), then prove it with a code."""
    if has_two_factor(request.user):
        return redirect("account")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_enable(device=device, code=form.cleaned_data["code"].strip(), by=request.user)
        except ValidationError:
            form.add_error("code", WRONG_CODE)
        else:
            codes = recovery_codes_make(user=request.user, by=request.user)
            return _codes_shown(
                request, codes, "Two-factor sign-in is on: you will be asked for a code each time."
            )
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "core/two_factor.jinja",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        },
    )


def _codes_shown(request: HttpRequest, codes: list[str], heading: str) -> HttpResponse:
    """The page that shows new recovery codes, once: never cached, never shown again."""
    response = render(request, "core/recovery_codes.jinja", {"codes": codes, "heading": heading})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def recovery_codes_regenerate(request: SignedInRequest) -> HttpResponse:
    """Ten new recovery codes for the person, shown once; the old ones stop working."""
    if not has_two_factor(request.user):
        messages.error(request, "Turn on two-factor sign-in first: recovery codes stand in for its app.")
        return redirect("account")
    codes = recovery_codes_make(user=request.user, by=request.user)
    return _codes_shown(request, codes, "Your new recovery codes")
