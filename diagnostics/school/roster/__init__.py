"""The roster pages: classes, a class with its students, a student, and the import."""

from diagnostics.school.roster import class_consents, classes, data, imports, students
from diagnostics.school.roster.blueprint import bp

__all__ = ["bp", "class_consents", "classes", "data", "imports", "students"]
