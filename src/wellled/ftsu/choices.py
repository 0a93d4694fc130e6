"""The words of the Freedom to Speak Up case log (issue 23): how a concern came, how open the person chose to be,
the elements it involves, and the feedback asked at closure. The return's own rows are data (data/*.yaml)."""

from __future__ import annotations

from django.db import models


class Route(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    CHAMPION = "champion", "Via a champion"
    ONLINE = "online", "The anonymous online route"


class Openness(models.TextChoices):
    """How open the person chose to be: the guardian records it, and an anonymous case holds no identity at all."""

    OPEN = "open", "Open"
    CONFIDENTIAL = "confidential", "Confidential (known to the guardian only)"
    ANONYMOUS = "anonymous", "Anonymous (not known)"


class WorkerGroup(models.TextChoices):
    """Coarse worker groups, as the national return counts them (2024/25 recording guidance)."""

    NURSING = "nursing", "Registered nurses and midwives"
    NURSING_SUPPORT = "nursing_support", "Nursing assistants and healthcare support workers"
    MEDICAL = "medical", "Medical and dental"
    ALLIED = "allied", "Allied health professionals"
    SCIENTIFIC = "scientific", "Additional professional, scientific and technical"
    ADMIN = "admin", "Administrative and clerical"
    ESTATES = "estates", "Estates and ancillary"
    STUDENTS = "students", "Students and trainees"
    VOLUNTEERS = "volunteers", "Volunteers"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Element(models.TextChoices):
    """What a concern involves; several may apply to one case."""

    PATIENT_SAFETY = "patient_safety", "Patient safety or quality"
    WORKER_SAFETY = "worker_safety", "Worker safety or wellbeing"
    BULLYING = "bullying", "Bullying or harassment"
    BEHAVIOURS = "behaviours", "Other inappropriate attitudes or behaviours"


class Detriment(models.TextChoices):
    """Whether the person reports disadvantageous or demeaning treatment for having spoken up."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Consent(models.TextChoices):
    NONE = "none", "None"
    NAMED = "named", "Named people"
    ROLE = "role", "A role"


class Feedback(models.TextChoices):
    """The answer to "given your experience, would you speak up again?", asked at closure."""

    YES = "yes", "Yes"
    NO = "no", "No"
    MAYBE = "maybe", "Maybe"
    DONT_KNOW = "dont_know", "Don't know"
    NO_RESPONSE = "no_response", "No response"


class ContactKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    PHONE = "phone", "Phone call"
    EMAIL = "email", "E-mail"
    NOTE = "note", "Guardian's note"
    FROM_WORKER = "from_worker", "Message from the worker (online)"
    TO_WORKER = "to_worker", "Reply to the worker (online)"


# The kinds the person holding the case key reads on the anonymous route.
KEY_HOLDER_KINDS = frozenset({ContactKind.FROM_WORKER, ContactKind.TO_WORKER})

# Characteristics a worker may give (each optional, each with "prefer not to say").
CHARACTERISTICS = ("age band", "disability", "ethnicity", "sex", "sexual orientation", "religion or belief")
PREFER_NOT_TO_SAY = "Prefer not to say"
