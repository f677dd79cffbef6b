"""The roster pages: classes, a class with its students, a student, and the import."""

from . import classes, imports, students
from .blueprint import bp

__all__ = ["bp", "classes", "imports", "students"]
