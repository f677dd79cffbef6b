"""The roster pages: classes, a class with its students, a student, and the import."""

from diagnostics.school.roster import classes, data, imports, students
from diagnostics.school.roster.blueprint import bp

__all__ = ["bp", "classes", "data", "imports", "students"]
