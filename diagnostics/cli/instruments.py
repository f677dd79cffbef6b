"""`diagnostics instruments ...` and `diagnostics score`: the collection from the command line."""

import json
import sys

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from diagnostics.cli.language import gettext as _
from diagnostics.engine.instruments import AnswerError, check_paths
from diagnostics.engine.instruments import score as score_answers
from diagnostics.engine.instruments import words as instrument_rules
from diagnostics.i18n import N_


def _echo_json(value):
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _collection():
    return current_app.extensions["instruments"]


def _instrument_or_fail(instrument_id):
    instrument = _collection().get(instrument_id)
    if instrument is None:
        raise click.ClickException(_("No instrument has the id %(id)s.", id=instrument_id))
    return instrument


@click.group(help=N_("List, show and check the instrument collection."))
def instruments():
    pass


@instruments.command("list", help=N_("List the instruments of the collection."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON object per instrument."))
@with_appcontext
def list_instruments(as_json):
    summaries = [i.summary() for i in sorted(_collection().values(), key=lambda i: i.id)]
    if as_json:
        _echo_json(summaries)
        return
    for s in summaries:
        click.echo(
            f"{s['id']:<16} {s['version']:<8} {s['items']:>3}  "
            f"{s['ages']['min']}-{s['ages']['max']:<3} {', '.join(s['domains'])}"
        )


@instruments.command(
    "show", help=N_("Show one instrument's full definition, items in published order.")
)
@click.argument("instrument_id")
@click.option("--json", "as_json", is_flag=True, help=N_("Print the definition as JSON."))
@click.option(
    "--lang",
    type=click.Choice(["kk", "ru"]),
    default="ru",
    show_default=True,
    help=N_("The language of the texts printed (without --json)."),
)
@with_appcontext
def show(instrument_id, as_json, lang):
    instrument = _instrument_or_fail(instrument_id)
    if as_json:
        _echo_json({**instrument.data, "content_hash": instrument.content_hash})
        return
    click.echo(f"{instrument.id} {instrument.version}: {instrument.title(lang)}")
    summary = instrument.data["provenance"].get("summary")
    if summary:
        click.echo(summary[lang])
    for item in instrument.data["items"]:
        click.echo(f"  {item['number']:>4}. {item['text'][lang]}")
    _echo_rules(instrument, lang)


def _echo_rules(instrument, lang):
    """Each scale's missing-data rule, and each band with its level and why."""
    algorithm = current_app.extensions["algorithm"]
    levels = algorithm.data["levels"]
    click.echo(str(instrument_rules.FLOOR_RULE))
    basis = instrument.data.get("missing_data")
    if basis:
        where = _("Where the rules come from:")
        click.echo(f"{where} {instrument_rules.BASES[basis['basis']]}. {basis['source']}")
    for scale in instrument.data["scales"]:
        click.echo(f"{scale['title'][lang]}: {instrument_rules.missing_text(scale)}")
        for group in scale.get("interpretation") or []:
            click.echo(f"  {group['source']}")
            for row in instrument_rules.band_levels(algorithm, instrument, scale, group):
                band = row["band"]
                level = levels[row["level"]][lang]
                why = f" — {row['reason'][lang]}" if row["reason"] else ""
                click.echo(f"    >= {band['from']:g} {band['label'][lang]}: {level}{why}")
                if row["note"]:
                    click.echo(f"      {row['note']}")


@instruments.command(
    "check",
    help=N_("Validate instrument files (default: the whole collection); exit 1 on any error."),
)
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.pass_context
def check(ctx, paths):
    app = _app_without_collection(ctx.ensure_object(ScriptInfo))
    with app.app_context():
        targets = list(paths) or [app.config["INSTRUMENTS_DIR"]]
        found, problems = check_paths(targets, current_app.extensions.get("algorithm"))
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(
            _(
                "%(good)d valid, %(bad)d with errors.",
                good=len(found),
                bad=len({p.file for p in problems}),
            )
        )
    if problems:
        ctx.exit(1)


def _app_without_collection(info):
    """An app for messages and settings; the collection may be the very thing that is broken."""
    if "instance_factory" in info.data:
        return info.data["instance_factory"](load_instruments=False)
    return info.load_app()


@click.command(help=N_("Score one instrument's answers given as JSON {item_id: value}."))
@click.argument("instrument_id")
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
def score(instrument_id, answers_file, age, sex, grade, lang):
    instrument = _instrument_or_fail(instrument_id)
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
    try:
        result = score_answers(instrument, answers, age=age, sex=sex, grade=grade)
    except AnswerError as error:
        _fail(_("Item %(item)s: %(problem)s", item=error.item_id, problem=str(error.message)))
    _echo_json(_one_language(result, lang) if lang else result)


def _fail(message):
    click.echo(message, err=True)
    sys.exit(2)


def _one_language(value, lang):
    """Replace every {kk, ru} text map in a result by its text in one language."""
    if isinstance(value, dict):
        if set(value) == {"kk", "ru"} and all(isinstance(v, str) for v in value.values()):
            return value[lang]
        return {key: _one_language(inner, lang) for key, inner in value.items()}
    if isinstance(value, list):
        return [_one_language(inner, lang) for inner in value]
    return value
