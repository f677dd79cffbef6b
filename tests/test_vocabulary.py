"""Each closed vocabulary is said once (diagnostics/vocabulary.py); what cannot read it agrees."""

import re
import sqlite3

from diagnostics import labels, vocabulary
from diagnostics.config import DEFAULTS
from diagnostics.db import upgrade
from diagnostics.engine.algorithm import load_algorithm
from diagnostics.paths import resource_dir

CHECK = re.compile(r"level\s+TEXT[^,]*?CHECK\s*\(\s*level\s+IN\s*\(([^)]*)\)", re.IGNORECASE)


def test_the_algorithm_file_declares_exactly_the_app_levels():
    algorithm = load_algorithm(resource_dir("instruments") / "algorithm" / "unified.yaml")
    assert tuple(algorithm.data["levels"]) == vocabulary.LEVELS


def test_every_level_domain_and_language_has_a_translated_name_and_levels_a_badge():
    assert set(vocabulary.LEVELS) <= set(labels.LEVELS)
    assert set(labels.DOMAINS) == set(vocabulary.DOMAINS)
    assert set(vocabulary.LANGUAGES) <= set(labels.LANGUAGES)
    css = (resource_dir("static") / "css" / "app.css").read_text(encoding="utf-8")
    assert all(f".level-{level} " in css for level in vocabulary.LEVELS)


def test_the_app_offers_the_vocabulary_languages_and_has_a_catalogue_for_each():
    assert DEFAULTS["LANGUAGES"] == vocabulary.LANGUAGES
    for lang in vocabulary.LANGUAGES:
        assert (resource_dir("translations") / lang / "LC_MESSAGES" / "messages.mo").is_file()


def test_the_database_checks_levels_against_the_same_list(tmp_path):
    """Released migrations keep their CHECKs; a new level needs a migration that widens them."""
    path = tmp_path / "v.sqlite3"
    upgrade(path)
    schema = " ".join(
        row[0]
        for row in sqlite3.connect(path).execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"
        )
    )
    checks = [set(re.findall(r"'(\w+)'", found)) for found in CHECK.findall(schema)]
    assert len(checks) >= 4
    assert all(found <= set(vocabulary.LEVELS) for found in checks)
    assert any(found == set(vocabulary.LEVELS) for found in checks)


def test_sql_ranks_levels_as_python_does():
    db = sqlite3.connect(":memory:")
    for level in (*vocabulary.LEVELS, "unknown", None):
        (rank,) = db.execute(f"SELECT {vocabulary.level_rank_sql('?')}", (level,)).fetchone()
        assert rank == vocabulary.level_rank(level)
    assert vocabulary.most_serious(["risk", "none", "critical", "attention"]) == "critical"
    assert vocabulary.most_serious([]) == "none"


def test_levels_are_ordered_from_no_sign_to_the_most_serious():
    ranks = [vocabulary.level_rank(level) for level in vocabulary.LEVELS]
    assert ranks == sorted(ranks) == list(range(len(vocabulary.LEVELS)))


def test_the_format_schemas_name_the_same_levels_and_domains():
    """The JSON Schema documents authors read list them too: they must not drift."""
    from diagnostics.engine.instruments import schema

    assert tuple(schema.LEVELS) == vocabulary.LEVELS
    assert set(schema.DOMAINS) == set(vocabulary.DOMAINS)
