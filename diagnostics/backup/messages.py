"""What each backup problem means, in the user's language."""

from flask_babel import lazy_gettext as _l

REASONS = {
    "short_passphrase": _l("The passphrase must have at least %(minimum)s characters."),
    "not_backup": _l("This file is not a backup of this app."),
    "unknown_version": _l("This backup was made in a format this app does not know (%(version)s)."),
    "wrong_passphrase": _l("Wrong passphrase (or the file's header is damaged)."),
    "damaged": _l("The backup is damaged or was altered near byte %(offset)s."),
    "truncated": _l("The backup is incomplete: it ends near byte %(offset)s."),
    "unreadable": _l("The backup file cannot be read: %(detail)s"),
    "kdf_too_costly": _l(
        "The backup asks for a passphrase check far costlier than this app ever makes (scrypt 2^%(log2_n)s, r=%(r)s, p=%(p)s): it was not made by this app."  # noqa: E501
    ),
    "too_large": _l(
        "The backup would unpack to more than %(limit)s MB (the free disk space or the app's limit): refused before unpacking anything."  # noqa: E501
    ),
    "bad_archive": _l("The backup decrypts, but its contents are not a valid instance archive."),
    "no_database": _l("The backup holds no database."),
    "database_damaged": _l("The database in the backup fails SQLite's integrity check."),
    "not_ours": _l("The database in the backup is not a database of this app."),
    "newer_app": _l(
        "The backup was made by a newer version of this app (it knows %(migrations)s): install that version or a later one, then restore."  # noqa: E501
    ),
}


def reason_text(error):
    return str(REASONS.get(error.reason, error.reason)) % error.params
