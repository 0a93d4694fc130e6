"""The base of every form: text comes out free of characters that a Word or Excel paper could not hold, and the
choices of its model fields are read when the view builds it, never while a template renders it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, cast

from django import forms
from django.db import models

from .limits import limit_of
from .models import SingleSignOn, User
from .service_kit import VERSION_MISSING
from .text import xml_safe

ONE_LINE = "Keep this on one line: it is a name, used in file names and headings."
DATE_INVALID = "Enter the date as year, month and day, for example 2026-11-30"
DATE_INPUT = {"type": "date"}  # the browser's date picker; the typed text is still checked here
CHOOSE = "Choose…"  # the blank first option of a drop-down that may be left unchosen


def _errors(required_message: str, **more: str) -> dict[str, str]:
    return {**more, **({"required": required_message} if required_message else {})}


def date_field(
    label: str,
    *,
    required: bool = True,
    required_message: str = "",
    invalid_message: str = DATE_INVALID,
    **kwargs: Any,
) -> forms.DateField:
    """A date typed or picked in the browser, with the house's words when it is missing or not a date."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_INPUT),
        error_messages=_errors(required_message, invalid=invalid_message),
        **kwargs,
    )


def text_field(
    label: str,
    *,
    limit: tuple[type[models.Model], str] | int | None = None,
    rows: int | None = None,
    required: bool = True,
    required_message: str = "",
    **kwargs: Any,
) -> forms.CharField:
    """A text field: one line, or a text area of `rows` lines; `limit` is the model field whose length it keeps to
    (so the form refuses what the database would), or a number of characters."""
    max_length = limit_of(*limit) if isinstance(limit, tuple) else limit
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages=_errors(required_message),
        **kwargs,
    )


WORKBOOK_REQUIRED = "Choose the workbook to import"


def workbook_field(label: str, *, help_text: str) -> forms.FileField:
    """The file of a register's import page (core.registers), with the house's words when none is chosen."""
    return forms.FileField(label=label, error_messages={"required": WORKBOOK_REQUIRED}, help_text=help_text)


def required_when(form: forms.BaseForm, data: Mapping[str, Any], name: str, when: bool, message: str) -> None:
    """Say that a field left empty is needed after all, given the rest of the form (a framework for a plan
    organised by one, the regulation of a breach)."""
    if when and not data.get(name):
        form.add_error(name, message)


def choice_field(
    label: str,
    choices: Iterable[tuple[Any, str]],
    *,
    required: bool = True,
    required_message: str = "",
    radio: bool = False,
    blank: str | None = None,
    coerce: Callable[[Any], Any] | None = None,
    **kwargs: Any,
) -> forms.ChoiceField:
    """One of a fixed list (a TextChoices' `.choices`): radio buttons or a drop-down, with `blank` as an unchosen
    first option; `coerce` turns the chosen value into a number or the like."""
    options = [("", blank), *choices] if blank is not None else list(choices)
    common: dict[str, Any] = {
        "label": label,
        "choices": options,
        "required": required,
        "error_messages": _errors(required_message),
        **({"widget": forms.RadioSelect} if radio else {}),
        **kwargs,
    }
    if coerce is not None:
        return forms.TypedChoiceField(coerce=coerce, **common)
    return forms.ChoiceField(**common)


class ChoicesReadMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    """Once a form is built (its own __init__ done, querysets set), read each model field's choices."""

    def __call__(cls, *args, **kwargs):
        form = super().__call__(*args, **kwargs)
        for field in form.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                # A list now: the template iterates it without a query. Validation still reads the queryset.
                field.choices = list(cast(Iterable[Any], field.choices))
        return form


class TextForm(forms.Form, metaclass=ChoicesReadMetaclass):
    """A form whose cleaned text is safe for every output (see core.text), and whose one-line fields (names,
    codes, references: anything not typed in a text area) hold no line break."""

    def full_clean(self) -> None:
        super().full_clean()
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned:
            for name, value in list(cleaned.items()):
                if isinstance(value, str):
                    cleaned[name] = xml_safe(value)
                    field = self.fields.get(name)
                    one_line = field is not None and not isinstance(field.widget, forms.Textarea)
                    if one_line and ("\n" in value or "\r" in value):
                        self.add_error(name, ONE_LINE)


class VersionedTextForm(TextForm):
    """Carries the version of the object the form was opened on, so a stale save is refused (ADR 0006).

    On an edit form (one opened with the object's version in `initial`) the version is required: leaving the
    hidden field out must not be a way past the check. A form that also creates objects has none to send."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "required": VERSION_MISSING,
            "invalid": VERSION_MISSING,
            "min_value": VERSION_MISSING,
            "max_value": VERSION_MISSING,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields and self.initial.get("version") is not None:
            self.fields["version"].required = True

    def full_clean(self) -> None:
        super().full_clean()
        # The version is hidden, so its error is the form's: the error summary shows it (with no link to a field
        # the person cannot see).
        errors = self.errors  # set by the full_clean above, so reading it does not clean again
        if "version" in errors:
            self.add_error(None, errors.pop("version"))


VersionedForm = VersionedTextForm  # the name the plans, measures and assessments forms use


class VersionForm(VersionedTextForm):
    """Only the version: for buttons that change an object's state (submit, publish) without other fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


def _role_choices(*, administrators: bool = True):
    from .choices import Role

    return [(value, label) for value, label in Role.choices if administrators or value != Role.ADMINISTRATOR]


def _role_field() -> forms.ChoiceField:
    """The role a person holds in the organisation, chosen among all the roles (read as each form is made)."""
    return forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        choices=_role_choices,
        error_messages={"required": "Choose a role"},
    )


EMAIL_INVALID = "Enter an e-mail address like name@northmoor.nhs.uk"


def _email_field(*, required_message: str = "") -> forms.EmailField:
    """A person's e-mail address (optional unless `required_message` says what to ask for)."""
    return forms.EmailField(
        label="E-mail address",
        max_length=254,
        required=bool(required_message),
        error_messages=_errors(required_message, invalid=EMAIL_INVALID),
    )


def _initials_field(label: str) -> forms.CharField:
    """The short form of a person's name that papers print (optional)."""
    return text_field(
        label,
        limit=(User, "initials"),
        required=False,
        help_text="How board papers show them; unique in the organisation.",
    )


class PersonInviteForm(TextForm):
    email = _email_field(required_message="Enter the person's e-mail address")
    first_name = text_field("First name", limit=(User, "first_name"), required=False)
    last_name = text_field("Last name", limit=(User, "last_name"), required=False)
    initials = _initials_field("Initials (optional)")
    job_title = text_field("Job title (optional)", limit=(User, "job_title"), required=False)
    role = _role_field()


class SuccessorForm(VersionedTextForm):
    """A change that may leave someone's open work without an owner who can act (a leaver, a lead made a viewer):
    who takes it on, from the people who can act (core.selectors.people_who_can_act). Without work held, no
    chooser."""

    successor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Who takes on their open work",
        queryset=None,
        required=False,
        help_text="Only people whose role lets them act are offered.",
    )

    def __init__(self, *args, people=None, held=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not held or people is None:
            del self.fields["successor"]
            return
        model_choices(self, "successor", people, lambda p: f"{p} ({p.display_initials})")


class PersonRoleForm(SuccessorForm):
    role = _role_field()
    field_order = ["role", "successor"]


class PersonDetailsForm(VersionedTextForm):
    first_name = text_field("First name", limit=(User, "first_name"), required=False)
    last_name = text_field("Last name", limit=(User, "last_name"), required=False)
    email = _email_field()
    initials = _initials_field("Initials")
    job_title = text_field("Job title", limit=(User, "job_title"), required=False)
    send_invitation = forms.BooleanField(
        label="E-mail them an invitation to sign in", required=False, initial=True
    )


class PersonMergeForm(TextForm):
    into: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Who is this really?", queryset=None, error_messages={"required": "Choose the person"}
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        into = cast(forms.ModelChoiceField, self.fields["into"])
        into.queryset = people
        into.label_from_instance = lambda p: f"{p} ({p.display_initials})"  # type: ignore[method-assign,assignment]


class DeactivateForm(SuccessorForm):
    def __init__(self, *args, held=(), **kwargs):
        super().__init__(*args, held=held, **kwargs)
        if "successor" in self.fields:
            self.fields["successor"].required = True
            self.fields["successor"].error_messages["required"] = "Choose who takes on their open work"


class SingleSignOnForm(VersionedTextForm):
    enabled = forms.BooleanField(label="Let people sign in with this provider", required=False)
    issuer = forms.URLField(
        label="Issuer URL",
        assume_scheme="https",
        max_length=300,
        help_text="For Microsoft Entra ID: https://login.microsoftonline.com/<tenant ID>/v2.0",
        error_messages={"required": "Enter the issuer URL", "invalid": "Enter the issuer as a full URL"},
    )
    client_id = text_field(
        "Client ID",
        limit=(SingleSignOn, "client_id"),
        help_text="Entra ID calls it the Application (client) ID.",
        required_message="Enter the client ID",
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Kept encrypted and never shown again. Leave blank to keep the one already stored.",
    )
    allowed_domains = text_field(
        "Allowed e-mail domains",
        limit=(SingleSignOn, "allowed_domains"),
        help_text="Comma-separated, e.g. northmoor.nhs.uk, nhs.net. Anyone else is refused.",
        required_message="Enter at least one e-mail domain",
    )
    new_person_role = forms.ChoiceField(
        label="Role of someone signing in for the first time",
        widget=forms.RadioSelect,
        choices=partial(_role_choices, administrators=False),
    )


class TwoFactorRequirementForm(TextForm):
    required = forms.BooleanField(
        label="Require a code from an authenticator app from people who sign in with a Wellled password",
        required=False,
    )


class SetPasswordForm(TextForm):
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput,
        help_text="At least 10 characters, not a common password.",
        error_messages={"required": "Enter a password"},
    )
    confirm = forms.CharField(
        label="Type it again",
        widget=forms.PasswordInput,
        error_messages={"required": "Type the password again"},
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("password") and data.get("confirm") and data["password"] != data["confirm"]:
            self.add_error("confirm", "The two passwords are not the same")
        return data


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code", "invalid": "Enter the 6 digits the app shows"},
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="One of your recovery codes",
        help_text="The 10 letters and numbers, for example abcde-23456. Each code works once.",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
    )


class DeliveryScaleForm(TextForm):
    """The wording of each delivery status and whether it is in use: fields label-<id>, meaning-<id>, active-<id>."""

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.statuses = list(statuses)
        for status in self.statuses:
            self.fields[f"label-{status.pk}"] = forms.CharField(
                label=f"Label for {status.code}",
                max_length=60,
                initial=status.label,
                error_messages={"required": f"Enter the label for {status.code}"},
            )
            self.fields[f"meaning-{status.pk}"] = forms.CharField(
                label=f"Meaning of {status.code}",
                max_length=300,
                initial=status.meaning,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"Enter what {status.code} means"},
            )
            self.fields[f"active-{status.pk}"] = forms.BooleanField(
                label=f"{status.code} is in use", required=False, initial=status.active
            )

    def rows(self):
        """Each status with its three fields, for the page's table."""
        return [
            (status, self[f"label-{status.pk}"], self[f"meaning-{status.pk}"], self[f"active-{status.pk}"])
            for status in self.statuses
        ]

    def changes(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            s.pk: {
                "label": data[f"label-{s.pk}"],
                "meaning": data[f"meaning-{s.pk}"],
                "active": data[f"active-{s.pk}"],
            }
            for s in self.statuses
        }


def model_choices(
    form: forms.BaseForm, name: str, queryset: Any, label: Callable[[Any], str] | None = None
) -> None:
    """Give a model-choice field of the form its (scoped) queryset, as the form is built, and the words each
    choice is shown in when they are not the record's own."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model-choice field")
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign,assignment]


def record_field(
    label: str,
    *,
    required: bool = False,
    required_message: str = "",
    invalid_message: str = "",
    **kwargs: Any,
) -> forms.ModelChoiceField:
    """One of the organisation's records (optional unless said, or unless `required_message` says what to choose):
    the view gives it its choices (model_choices); `invalid_message` answers a choice not on its list."""
    if required_message or invalid_message:
        more = {"invalid_choice": invalid_message} if invalid_message else {}
        kwargs["error_messages"] = _errors(required_message, **more)
    return forms.ModelChoiceField(
        label=label, queryset=None, required=required or bool(required_message), **kwargs
    )


def records_field(label: str, *, ticks: bool = False, **kwargs: Any) -> forms.ModelMultipleChoiceField:
    """Any number of the organisation's records, as tick boxes or a list: the view gives it its choices."""
    widget = {"widget": forms.CheckboxSelectMultiple} if ticks else {}
    return forms.ModelMultipleChoiceField(label=label, queryset=None, required=False, **widget, **kwargs)
