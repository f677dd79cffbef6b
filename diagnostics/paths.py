"""Where the app's bundled folders are: beside the package in a checkout, inside it in a wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED = ("instruments", "static", "translations")


def resource_dir(name):
    """The folder `name` (one of BUNDLED) from the wheel if installed, else from the checkout."""
    if name not in BUNDLED:
        raise ValueError(name)
    installed = PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name
