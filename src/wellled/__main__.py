"""The `wellled` command: the project's manage.py, plus `wellled spc` which needs no Django."""

import os
import secrets
import sys

# Commands the issues name with a hyphen; Django command modules cannot have one in their name.
COMMAND_ALIASES = {"board-paper": "board_paper", "baf-paper": "baf_paper"}
# Commands that imply local development settings (debug, a secret key generated in the data directory), so
# `wellled demo` works on a fresh machine; an explicit WELLLED_DEBUG still wins.
LOCAL_COMMANDS = frozenset({"demo"})
HELP_OPTIONS = frozenset({"--help", "-h"})
DEMO_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def local_settings_imply(argv: list[str]) -> None:
    """Set, before Django reads the settings, what the command implies: local settings for the demo; for help
    alone (which signs nothing), a throwaway secret key when none is configured, so every command is listed."""
    command = argv[1] if len(argv) > 1 else "help"
    if command in LOCAL_COMMANDS:
        os.environ.setdefault("WELLLED_DEBUG", "1")
        # The demo writes its e-mails to files (WELLLED_EMAIL_FILE_PATH, DATA_DIR/mail) rather than the console.
        os.environ.setdefault("WELLLED_EMAIL_BACKEND", DEMO_EMAIL_BACKEND)
    elif command == "help" or HELP_OPTIONS & set(argv[1:]):
        os.environ.setdefault("WELLLED_SECRET_KEY", secrets.token_urlsafe(50))


def main(argv: list[str] | None = None) -> int:
    """Dispatch `wellled spc ...` to the Django-free SPC command line, everything else to Django."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "spc":
        from wellled.spc.cli import main as spc_main

        return spc_main(argv[2:])
    if len(argv) > 1 and argv[1] in COMMAND_ALIASES:
        argv[1] = COMMAND_ALIASES[argv[1]]
    local_settings_imply(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
