"""The `wellled` command: the project's manage.py, plus `wellled spc` which needs no Django."""

import os
import sys

# Commands the issues name with a hyphen; Django command modules cannot have one in their name.
COMMAND_ALIASES = {"board-paper": "board_paper"}


def main(argv: list[str] | None = None) -> int:
    """Dispatch `wellled spc ...` to the Django-free SPC command line, everything else to Django."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "spc":
        from wellled.spc.cli import main as spc_main

        return spc_main(argv[2:])
    if len(argv) > 1 and argv[1] in COMMAND_ALIASES:
        argv[1] = COMMAND_ALIASES[argv[1]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
