"""Test settings: the real settings, with fast password hashing and e-mail kept in memory."""

import os

os.environ.setdefault("WELLLED_TESTING", "1")
os.environ.setdefault("WELLLED_SECURE_COOKIES", "0")

from wellled.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Background tasks run at once, inside the request that queues them, so a test sees the finished job.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
