"""Enrol the schools of a list at once: every line checked first, then all or nothing.

A line names a school by its code and the fingerprint the school read out (by phone, as for
one school); its enrolment file is found among the files given by that code. A school
already enrolled with the same key is left as it is, so the same list can be run again; with
another key, the line is an error unless `replace` is given (then, as for one school, the
new key and details replace the old).
"""

import re
from dataclasses import dataclass, field

from diagnostics.batch.documents import ENROLMENT_LIMITS, SCHOOL_CODE
from diagnostics.batch.keys import normalise_fingerprint, same_fingerprint
from diagnostics.centre.enrol_problems import ListRefused, Problem
from diagnostics.centre.enrolment_files import index_enrolments
from diagnostics.centre.school_list import read_school_list
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.centre import batches as qc

# A school's fingerprint: 8 groups of 4 base32 characters (batch/keys.py).
FINGERPRINT = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$")
DETAILS = ("name", "region", "district")


@dataclass
class Outcome:
    """What enrolling a list did (or would do): codes enrolled, replaced, left unchanged."""

    enrolled: list = field(default_factory=list)
    replaced: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    schools: list = field(default_factory=list)  # what is written, in the list's order


def enrol_list(db, list_name, list_data, files, source, replace=False):
    """Check the list and the files; enrol every school of it in one transaction.

    `files` are (name, bytes) pairs (enrolment_files); raises ListRefused with every problem
    and writes nothing when anything is wrong.
    """
    with transaction(db):  # checked under the write lock: no enrolment slips in between
        outcome = check_list(db, list_name, list_data, files, source, replace)
        at = now()
        for school in outcome.schools:
            qc.enrol_school(db, school, at)
    return outcome


def check_list(db, list_name, list_data, files, source, replace=False):
    """The Outcome the list would have; ListRefused with every problem found."""
    lines, problems = read_school_list(list_data, list_name)
    found, file_problems = index_enrolments(files, source)
    problems += file_problems
    outcome, seen = Outcome(), {}
    held = {school["code"]: school for school in qc.list_schools(db)}  # one query, not one a line
    for line in lines:
        line_problems = _line_problems(line, list_name, seen)
        if not line_problems:
            line_problems = _against_files(held, line, list_name, found, replace, outcome)
        problems += line_problems
    if problems:
        raise ListRefused(problems)
    return outcome


def _line_problems(line, list_name, seen):
    """What is wrong with a line on its own, or as a repeat of an earlier line."""
    values = line.values

    def problem(name, reason, **params):
        return Problem(list_name, reason, line.number, name, params or None)

    problems = [problem(name, "required") for name in ("code", "fingerprint") if not values[name]]
    code, typed = values["code"], values["fingerprint"]
    if code and not SCHOOL_CODE.match(code):
        problems.append(problem("code", "bad_code", value=code))
    if typed and not FINGERPRINT.match(normalise_fingerprint(typed)):
        problems.append(problem("fingerprint", "bad_fingerprint", value=typed))
    for name in DETAILS:
        if len(values.get(name, "")) > ENROLMENT_LIMITS[name]:
            problems.append(problem(name, "too_long", limit=ENROLMENT_LIMITS[name]))
    if code in seen:
        problems.append(problem("code", "duplicate", other=seen[code]))
    elif code:
        seen[code] = line.number
    return problems


def _against_files(held, line, list_name, found, replace, outcome):
    """The line against its school's enrolment file and what the centre holds; fills outcome."""
    code = line.values["code"]
    if code not in found:
        return [Problem(list_name, "no_file", line.number, "code", {"code": code})]
    file_name, school = found[code]
    if not same_fingerprint(line.values["fingerprint"], school["fingerprint"]):
        return [Problem(list_name, "mismatch", line.number, "fingerprint", {"file": file_name})]
    school = {**school, **{name: line.values[name] for name in DETAILS if line.values.get(name)}}
    known = held.get(code)
    if known is None:
        outcome.enrolled.append(code)
    elif known["fingerprint"] != school["fingerprint"] and not replace:
        return [Problem(list_name, "other_key", line.number, "fingerprint", {"code": code})]
    elif not replace or _same(known, school):
        outcome.unchanged.append(code)
        return []
    else:
        outcome.replaced.append(code)
    outcome.schools.append(school)
    return []


def _same(known, school):
    names = ("fingerprint", *DETAILS)
    return all(known[name] == school[name] for name in names)
