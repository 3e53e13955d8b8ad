#!/usr/bin/env python
"""Django's command-line utility, wrapped so that bad configuration ends in one clear message."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    from config.bootstrap import fail_cleanly

    with fail_cleanly():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
