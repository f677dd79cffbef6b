"""This instance's school, read once per request (None before setup, and on a centre)."""

from flask import g

from diagnostics.db import get_db
from diagnostics.queries import instance as school


def current_school():
    """This instance's school, read once per request (None before setup)."""
    if "school" not in g:
        g.school = school.get_school(get_db())
    return g.school
