"""The `roster` blueprint, shared by the modules that add its pages."""

from flask import Blueprint, abort

from diagnostics.db import get_db
from diagnostics.queries.school import roster

bp = Blueprint("roster", __name__, url_prefix="/roster")


def student_or_404(student_id):
    row = roster.student_by_id(get_db(), student_id)
    if row is None:
        abort(404)
    return row


def class_or_404(class_id):
    row = roster.class_by_id(get_db(), class_id)
    if row is None:
        abort(404)
    return row
