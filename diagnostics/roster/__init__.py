"""The roster pages: classes, a class with its students, a student, and the import."""

from . import classes, data, imports, students
from .blueprint import bp

__all__ = ["bp", "classes", "data", "imports", "students"]
