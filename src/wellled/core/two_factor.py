"""Two-factor sign-in for Wellled passwords (ADR 0026): a time-based code from an authenticator app (RFC 6238,
django-otp's TOTP device, which also slows down guessing and refuses a code used twice)."""

from __future__ import annotations

import base64
import time

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from .forms import CodeForm
from .services import two_factor_enable
from .view_kit import SignedInRequest

PASSWORD_SIGN_IN_KEY = "wellled_password_sign_in"  # noqa: S105 (a session key, not a password)
PENDING_KEY = "wellled_pending_sign_in"
# The password step is good for this long while the person finds their phone.
PENDING_SECONDS = 5 * 60
WRONG_CODE = "That code is not right, or has already been used: enter the code the app shows now"


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


def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in with a password: the code from the authenticator app."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "Sign in again: the code was not entered in time.")
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
    if device is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            next_url = pending.get("next") or "/"
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            request.session[PASSWORD_SIGN_IN_KEY] = True
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return redirect(next_url if safe else "/")
        form.add_error("code", WRONG_CODE)
    return render(request, "core/sign_in_code.jinja", {"form": form})


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
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is not None:
        return render(request, "core/two_factor.jinja", {"done": True})
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
            messages.success(request, "Two-factor sign-in is on: you will be asked for a code each time.")
            return redirect("dashboard")
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
