"""Instruments as data: loading, validation and scoring."""

from diagnostics.engine.instruments.loader import InvalidInstruments, check_paths, load_collection
from diagnostics.engine.instruments.model import IdentifiedUseRefused, Instrument, ensure_usable
from diagnostics.engine.instruments.scoring import (
    AnswerError,
    answer_in_order,
    asked_items,
    check_answers,
    highest_level,
    score,
)

__all__ = [
    "AnswerError",
    "answer_in_order",
    "IdentifiedUseRefused",
    "Instrument",
    "ensure_usable",
    "InvalidInstruments",
    "asked_items",
    "check_answers",
    "check_paths",
    "highest_level",
    "load_collection",
    "score",
]
