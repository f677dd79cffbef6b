"""The package's parts depend only downward (docs/architecture.md): read from the imports."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "diagnostics"

# Each part, and the parts it must never import. The app factory (diagnostics/__init__.py)
# and the command line (cli/) sit on top and wire both sides; everything else stays in its lane.
FORBIDDEN = {
    "school": ("centre", "queries.centre", "cli"),
    "centre": ("school", "queries.school", "cli"),
    "queries.school": ("centre", "queries.centre", "school", "cli"),
    "queries.centre": ("school", "queries.school", "centre", "cli"),
    "engine": ("school", "centre", "batch", "queries", "cli", "db"),
    "batch": ("school", "centre", "engine", "queries", "cli", "db"),
    "foundation": ("school", "centre", "cli", "queries.school", "queries.centre"),
}


def part_of(module):
    """The part a module of the package belongs to ('foundation' for the shared ones)."""
    inner = module.removeprefix("diagnostics.")
    for part in ("queries.school", "queries.centre", "school", "centre", "engine", "batch", "cli"):
        if inner == part or inner.startswith(part + "."):
            return part
    return "foundation"


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path):
    """Every module of the package that `path` imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def crossings():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        if module in ("diagnostics", "diagnostics.__main__"):
            continue
        for target in imported(path):
            if not target.startswith("diagnostics."):
                continue
            inner = target.removeprefix("diagnostics.")
            for banned in FORBIDDEN.get(part_of(module), ()):
                if inner == banned or inner.startswith(banned + "."):
                    found.append(f"{module} imports {target}")
    return sorted(set(found))


def test_each_part_imports_only_what_lies_below_it():
    assert crossings() == []


@pytest.mark.parametrize(
    "module, part",
    [
        ("diagnostics.school.screening.student", "school"),
        ("diagnostics.centre.importer", "centre"),
        ("diagnostics.queries.centre.region", "queries.centre"),
        ("diagnostics.engine.instruments.scoring", "engine"),
        ("diagnostics.batch.container", "batch"),
        ("diagnostics.db", "foundation"),
    ],
)
def test_modules_are_placed_in_their_part(module, part):
    assert part_of(module) == part


def test_the_check_sees_a_crossing(tmp_path, monkeypatch):
    """A school module that imports the centre is reported (the check can fail)."""
    fake = tmp_path / "diagnostics"
    (fake / "school").mkdir(parents=True)
    (fake / "school" / "leak.py").write_text("from diagnostics.centre import region\n")
    (fake / "school" / "relative.py").write_text("from ..centre.importer import import_batch\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert crossings() == [
        "diagnostics.school.leak imports diagnostics.centre",
        "diagnostics.school.leak imports diagnostics.centre.region",
        "diagnostics.school.relative imports diagnostics.centre.importer",
        "diagnostics.school.relative imports diagnostics.centre.importer.import_batch",
    ]


def test_every_package_of_the_source_is_listed_for_the_wheel():
    """setup.cfg lists the packages by name; a new folder left out breaks every install."""
    import configparser

    config = configparser.ConfigParser()
    config.read(PACKAGE.parent / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    found = {module_name(init) for init in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()
