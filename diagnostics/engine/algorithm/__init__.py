"""The unified algorithm as data: instrument results → a child's level, reasons, actions."""

from diagnostics.engine.algorithm.evaluation import evaluate
from diagnostics.engine.algorithm.model import Algorithm, InvalidAlgorithm, load_algorithm

__all__ = ["Algorithm", "InvalidAlgorithm", "evaluate", "load_algorithm"]
