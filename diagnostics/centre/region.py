"""The centre's view of its region: levels by place, round, sex and instrument; the cases."""

import json

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import gettext as _

from diagnostics import audit, labels
from diagnostics.aggregates import COUNT_KEYS, MIN_CELL, level_table
from diagnostics.auth import role_required
from diagnostics.charts.png import png
from diagnostics.charts.region import region_charts
from diagnostics.charts.svg import figure
from diagnostics.codes import display
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.names import instrument_titles
from diagnostics.paging import page_of, paged
from diagnostics.queries.centre import region as q
from diagnostics.spreadsheets import csv_bytes, xlsx_bytes
from diagnostics.vocabulary import LANGUAGES

bp = Blueprint("region", __name__)
analyst_required = role_required("analyst")
HIDDEN = "<5"
DRILL = {"region": "district", "district": "school", "school": "grade"}


def read_filters(args):
    """The view's filters from the query string; unknown values are ignored."""
    filters = {name: (args.get(name) or "").strip()[:200] for name in ("region", "district")}
    filters["school"] = (args.get("school") or "").strip()[:40]
    filters["sex"] = args.get("sex") if args.get("sex") in ("f", "m") else ""
    filters["instrument"] = (args.get("instrument") or "").strip()[:40]
    filters["level"] = "critical" if args.get("level") == "critical" else "risk"
    filters["plan"] = (args.get("plan") or "").strip()[:64]
    return filters


def unit_of(filters):
    """What the rows are: districts of a region, schools of a district, grades of a school."""
    if filters["school"]:
        return "grade"
    if filters["district"]:
        return "school"
    return "district" if filters["region"] else "region"


@bp.route("/")
@analyst_required
def index():
    filters = read_filters(request.args)
    unit = unit_of(filters)
    table = level_table(q.level_counts(get_db(), unit, filters))
    rows, page = _page_by_unit(table, request.args)
    charts = {name: figure(chart) for name, chart in region_charts(rows).items() if chart}
    return render_template(
        "region/index.html",
        table=rows,
        pages=page.as_pager(),
        charts=charts,
        unit=unit,
        drill=unit != "grade",
        filters=filters,
        instruments=q.instruments(get_db()),
        levels=COUNT_KEYS,
        minimum=MIN_CELL,
    )


def _page_by_unit(table, args):
    """The rows of one page of units (a unit's rounds stay together), and the page's charts;
    the exports and the charts' PDF keep the whole table."""
    units, page = page_of(list(dict.fromkeys(row["unit"] for row in table)), args)
    shown = set(units)
    return [row for row in table if row["unit"] in shown], page


@bp.route("/charts.pdf")
@analyst_required
def charts_pdf():
    from diagnostics.centre.region_pdf import region_charts_pdf

    filters = read_filters(request.args)
    table = level_table(q.level_counts(get_db(), unit_of(filters), filters))
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else None
    place = " › ".join(filter(None, [filters["region"], filters["district"], filters["school"]]))
    body = region_charts_pdf(table, place or _("All regions"), lang or current_language())
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": "attachment; filename=region-charts.pdf"},
    )


@bp.route("/charts/<name>.png")
@analyst_required
def chart_png(name):
    filters = read_filters(request.args)
    table = level_table(q.level_counts(get_db(), unit_of(filters), filters))
    chart = region_charts(_page_by_unit(table, request.args)[0]).get(name) or abort(404)
    return Response(
        png(chart),
        mimetype="image/png",
        headers={"Content-Disposition": f"attachment; filename=region-{name}.png"},
    )


@bp.route("/cases")
@analyst_required
def cases():
    filters = read_filters(request.args)
    db = get_db()
    rows, page = paged(
        request.args,
        lambda: q.cases_count(db, filters),
        lambda limit, offset: q.cases(db, filters, limit, offset),
    )
    _audit("view_cases", {**filters, "page": page.number}, len(rows))
    return render_template(
        "region/cases.html",
        cases=[_readable(row) for row in rows],
        filters=filters,
        pages=page.as_pager(),
    )


def _audit(action, filters, count):
    chosen = {key: value for key, value in filters.items() if value}
    audit.record(get_db(), g.user["id"], action, "region", json.dumps({**chosen, "rows": count}))


def _readable(row):
    name = json.loads(row["name"]) if row["name"] else None
    full = " ".join(filter(None, [name.get("last_name"), name.get("first_name")])) if name else ""
    return {**row, "full_name": full}


@bp.route("/export/<table>.<kind>")
@analyst_required
def export(table, kind):
    if table not in ("levels", "cases") or kind not in ("csv", "xlsx"):
        abort(404)
    filters = read_filters(request.args)
    headers, rows = (_levels_sheet if table == "levels" else _cases_sheet)(filters)
    if kind == "csv":
        body, mimetype = csv_bytes(headers, rows), "text/csv"
    else:
        body = xlsx_bytes(headers, rows, table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={table}.{kind}"},
    )


def _shown(value):
    return HIDDEN if value is None else value


def _levels_sheet(filters):
    unit = unit_of(filters)
    table = level_table(q.level_counts(get_db(), unit, filters))
    headers = [_("Unit"), _("Round"), _("Children")] + [
        str(labels.LEVELS[key]) for key in COUNT_KEYS
    ]
    rows = [
        [row["unit"], row["round"], _shown(row["children"])]
        + [_shown(row["levels"][key]["count"]) for key in COUNT_KEYS]
        for row in table
    ]
    return headers, rows


def _cases_sheet(filters):
    rows = [_readable(row) for row in q.cases(get_db(), filters)]
    _audit("export_cases", filters, len(rows))
    headers = [
        _("Region"),
        _("District"),
        _("School"),
        _("Grade"),
        _("Class"),
        _("Round"),
        _("Code"),
        _("Sex"),
        _("Age"),
        _("Level"),
        _("Instruments"),
        _("Name"),
    ]
    keys = ("region", "district", "school_code", "grade", "class_name", "round")
    lang = current_language()
    return headers, [
        [row[key] for key in keys]
        + [display(row["code"]), str(labels.SEXES.get(row["sex"], "")), row["age"]]
        + [str(labels.LEVELS[row["level"]]), instrument_titles(row["flagged"], lang)]
        + [row["full_name"]]
        for row in rows
    ]
