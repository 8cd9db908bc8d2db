"""Run in a spawned parser process by test_parser_processes.py: what its imports brought."""
import sys

HEAVY = ("flask", "werkzeug", "click", "sqlalchemy", "jinja2")


def loaded():
    return sorted(name for name in HEAVY if name in sys.modules)
