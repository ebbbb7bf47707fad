#!/usr/bin/env python
"""Django's command-line utility for the Emploi Store."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "store.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError

        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # One line that names the setting, instead of a traceback.
        sys.exit(f"Configuration error: {error}")
    except OperationalError as error:
        from store.health import describe_database

        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        sys.exit(f"Database unreachable ({describe_database()}): {first_line}")


if __name__ == "__main__":
    main()
