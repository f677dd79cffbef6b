"""The unified algorithm as data: instrument results → a child's level, reasons, actions."""

from .evaluation import evaluate
from .model import Algorithm, InvalidAlgorithm, load_algorithm

__all__ = ["Algorithm", "InvalidAlgorithm", "evaluate", "load_algorithm"]
