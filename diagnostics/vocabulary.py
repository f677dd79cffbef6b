"""The closed vocabularies the app stores and shows, each said once: levels, domains, languages.

Everything else reads them from here: the instrument format accepts exactly these domains and
languages, the algorithm file must declare exactly these levels, the batch records carry them,
and SQL ranks levels with `level_rank_sql`. What cannot read them (the CHECK constraints of
released migrations, the translated names, the badge colours) is held against them by
`tests/test_vocabulary.py`. docs/architecture.md says how to add one.
"""

# The languages a child and a psychologist can choose; every text of the collection has both.
LANGUAGES = ("kk", "ru")

# A child's level, from no sign to the most serious; the order is the order of seriousness.
LEVELS = ("none", "attention", "risk", "critical")

# What an instrument screens for (an instrument names one or more).
DOMAINS = (
    "stress",
    "anxiety",
    "depression",
    "well_being",
    "suicide_risk",
    "loneliness",
    "aggression",
    "behaviour",
    "bullying",
    "cyberbullying",
    "violence",
    "trauma",
    "school_anxiety",
)


def level_rank(level):
    """0 for no sign up to the most serious level; an unknown level ranks lowest."""
    return LEVELS.index(level) if level in LEVELS else 0


def most_serious(levels):
    """The most serious of `levels` ('none' when there is none)."""
    return max(levels, key=level_rank, default=LEVELS[0])


def level_rank_sql(column):
    """A SQL expression ranking `column` like `level_rank` (for ORDER BY and MAX)."""
    whens = " ".join(f"WHEN '{level}' THEN {rank}" for rank, level in enumerate(LEVELS) if rank)
    return f"CASE {column} {whens} ELSE 0 END"
