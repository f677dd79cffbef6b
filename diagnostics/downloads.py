"""Sending a file made for one download: streamed in pieces, its work folder removed after."""

import re
import shutil

from flask import current_app

PIECE = 1024 * 1024


def safe_filename(text):
    """A file name for a Content-Disposition header: letters, digits, dot, dash, underscore."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)[:120] or "download"


def attachment(filename):
    return f'attachment; filename="{safe_filename(filename)}"'


def download_then_remove(path, folder, filename):
    """A response that streams `path` as an attachment; `folder` goes once it is sent (or the
    download breaks off)."""
    return current_app.response_class(
        _stream_then_remove(path, folder),
        mimetype="application/octet-stream",
        headers={
            "Content-Disposition": attachment(filename),
            "Content-Length": str(path.stat().st_size),
            "Cache-Control": "no-store",
        },
    )


def _stream_then_remove(path, folder):
    try:
        with open(path, "rb") as source:
            while piece := source.read(PIECE):
                yield piece
    finally:
        shutil.rmtree(folder, ignore_errors=True)
