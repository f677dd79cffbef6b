"""The colours and hatchings of the charts: the level badges' colours, in one place."""

INK = "#1d2733"
MUTED = "#5b6675"
GRID = "#d9dee5"
PAPER = "#ffffff"
HIDDEN = "#f1f3f5"

# The badge background of each level (static/css/app.css, .level-*), checked by a test.
LEVEL_FILLS = {
    "none": "#e3f0e4",
    "attention": "#f3e3a0",
    "risk": "#b05300",
    "critical": "#b3261e",
    "retest": "#e7ecf1",
}
# Hatching that separates the levels close in grey: (direction, colour of the lines).
LEVEL_HATCH = {
    "attention": ("/", INK),
    "critical": ("\\", PAPER),
    "retest": ("|", MUTED),
}
# The text colour that reads on each fill.
LEVEL_TEXT = {"none": INK, "attention": INK, "risk": PAPER, "critical": PAPER, "retest": INK}
# Lines of several series: the Okabe-Ito colours, safe for colour-blind readers; each series
# also gets its own dash pattern and its name at the end of the line.
SERIES = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000")
DASHES = ((), (6, 3), (2, 2), (8, 3, 2, 3), (4, 4), (1, 3), (10, 2))
