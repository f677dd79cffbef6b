"""The schools' enrolment files for a list: a folder, a ZIP archive, or uploaded files.

Each school writes its file itself (`diagnostics sync enrolment`, or the download on its
Regional centre page, named CODE-enrolment.json) and sends it by mail or on a stick; a
browser names a second download "… (1).json". So a file is found by the school code inside
it, never by its name. Files of schools the list does not name are left alone; other files
than *.json (a list, a readme, macOS's __MACOSX folder) are not read.
"""

import io
import zipfile
from pathlib import Path, PurePosixPath

from diagnostics.batch import SyncError
from diagnostics.batch.documents import parse_enrolment
from diagnostics.batch.files import loads_bounded
from diagnostics.centre.enrol_problems import Problem

MAX_FILES = 20000
MAX_SIZE = 256 * 1024  # far above an enrolment file (about 600 bytes)


def from_folder(folder):
    """(name, bytes) of every *.json file in `folder` and the folders in it."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*.json")):
        if path.is_file() and _wanted(path.relative_to(folder).as_posix()):
            yield path.relative_to(folder).as_posix(), _read(path)


def _read(path):
    with open(path, "rb") as handle:
        return handle.read(MAX_SIZE + 1)


def from_uploads(uploads):
    """(name, bytes) of uploaded files: each a ZIP archive of enrolment files or one file."""
    for name, data in uploads:
        if data.startswith(b"PK\x03\x04"):
            yield from from_zip(name, data)
        else:
            yield name, data


def from_zip(name, data):
    """(name in the archive, bytes) of its *.json members; a broken archive is a Problem."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir() and _wanted(m.filename)]
        if len(members) > MAX_FILES:
            yield Problem(name, "too_many_files", params={"limit": MAX_FILES})
            return
        for member in members:
            yield f"{name}/{member.filename}", _member(archive, member)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        yield Problem(name, "not_zip")


def _member(archive, member):
    if member.file_size > MAX_SIZE:
        return b""
    with archive.open(member) as handle:
        return handle.read(MAX_SIZE + 1)


def _wanted(name):
    path = PurePosixPath(name)
    hidden = any(part.startswith((".", "__MACOSX")) for part in path.parts)
    return path.suffix.lower() == ".json" and not hidden


def index_enrolments(files, source):
    """({school code: (file name, school)}, problems) of (name, bytes) pairs (or Problems).

    Two files of one school with the same key are one; with different keys, an error.
    """
    found, problems = {}, []
    for item in files:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        name, data = item
        school = _school(data)
        if school is None:
            problems.append(Problem(name, "not_enrolment"))
        elif school["code"] not in found:
            found[school["code"]] = (name, school)
        elif found[school["code"]][1]["fingerprint"] != school["fingerprint"]:
            problems.append(Problem(name, "two_keys", params={"other": found[school["code"]][0]}))
    if not found and not problems:
        problems.append(Problem(source, "no_files"))
    return found, problems


def _school(data):
    if len(data) > MAX_SIZE:
        return None
    try:
        return parse_enrolment(loads_bounded(data))
    except (UnicodeDecodeError, ValueError, SyncError):
        return None
