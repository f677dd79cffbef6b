"""Sending a file made for one download: streamed in pieces, its work folder removed after."""

import shutil

from flask import current_app

PIECE = 1024 * 1024


def download_then_remove(path, folder, filename):
    """A response that streams `path` as an attachment; `folder` goes once it is sent (or the
    download breaks off)."""
    return current_app.response_class(
        _stream_then_remove(path, folder),
        mimetype="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
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
