"""`diagnostics evaluate` and `reevaluate`: the unified algorithm from the command line."""

import json
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from diagnostics.cli.instruments import _echo_json, _one_language
from diagnostics.cli.language import gettext as _
from diagnostics.db import get_db
from diagnostics.engine.algorithm import evaluate as evaluate_outcomes
from diagnostics.engine.instruments import AnswerError, score
from diagnostics.i18n import N_
from diagnostics.queries.school import results
from diagnostics.school.followup.reevaluation import reevaluate_codes


def _fail(message):
    click.echo(message, err=True)
    sys.exit(2)


def _read_answers(answers_file):
    try:
        answers = json.load(answers_file)
    except json.JSONDecodeError as error:
        _fail(
            _(
                "The answers are not valid JSON (line %(line)d): %(detail)s",
                line=error.lineno,
                detail=error.msg,
            )
        )
    if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
        _fail(_("The answers must be an object {instrument_id: {item_id: value}}."))
    return answers


def _outcomes(answers, facts):
    collection = current_app.extensions["instruments"]
    outcomes = []
    for instrument_id, given in answers.items():
        instrument = collection.get(instrument_id)
        if instrument is None:
            _fail(_("No instrument has the id %(id)s.", id=instrument_id))
        try:
            result = score(instrument, given, **facts)
        except AnswerError as error:
            _fail(
                _(
                    "%(instrument)s, item %(item)s: %(problem)s",
                    instrument=instrument_id,
                    item=error.item_id,
                    problem=str(error.message),
                )
            )
        outcomes.append(
            {"instrument": instrument, "result": result, "answers": given, "seconds": None}
        )
    return outcomes


@click.command(
    help=N_(
        "Evaluate a child's answers to several instruments with the unified algorithm: JSON {instrument_id: {item_id: value}} in, level, reasons and required actions out."  # noqa: E501
    )
)
@click.option(
    "--answers",
    "answers_file",
    required=True,
    type=click.File("r", encoding="utf-8"),
    help=N_("JSON file with the answers, or - for standard input."),
)
@click.option("--age", type=click.IntRange(3, 25), help=N_("The child's age in years."))
@click.option("--sex", type=click.Choice(["f", "m"]), help=N_("The child's sex."))
@click.option("--grade", type=click.IntRange(0, 12), help=N_("The child's grade."))
@click.option(
    "--lang", type=click.Choice(["kk", "ru"]), help=N_("Give texts in one language only.")
)
@with_appcontext
def evaluate(answers_file, age, sex, grade, lang):
    facts = {"age": age, "sex": sex, "grade": grade}
    outcomes = _outcomes(_read_answers(answers_file), facts)
    result = evaluate_outcomes(current_app.extensions["algorithm"], outcomes)
    result["scores"] = {o["result"]["instrument"]["id"]: o["result"] for o in outcomes}
    _echo_json(_one_language(result, lang) if lang else result)


@click.command(
    help=N_(
        "Re-evaluate stored results whose instrument or algorithm version changed; the old evaluations stay beside the new ones."  # noqa: E501
    )
)
@click.option("--session", "session_id", type=int, help=N_("Only the results of this session."))
@with_appcontext
def reevaluate(session_id):
    db = get_db()
    counts = reevaluate_codes(
        db,
        current_app.extensions["instruments"],
        current_app.extensions["algorithm"],
        results.codes_with_results(db, session_id),
    )
    click.echo(_("Re-evaluated: %(changed)d. Already current: %(unchanged)d.", **counts))
