"""Charts drawn on the server, from one small model, for pages (SVG) and PDFs (reportlab).

Design decisions:

- **No new dependency.** A chart is a handful of rectangles, lines and labels. `model` holds
  those shapes as plain data; `build` and its siblings turn the app's figures into shapes (pure
  functions, testable without Flask); `svg` writes them as inline SVG for pages and `drawing`
  as a reportlab Drawing for the PDFs we already build with reportlab. Pillow, which reportlab
  already depends on, writes the same shapes as PNG for the region's report export. Nothing
  is fetched, nothing needs JavaScript, every chart has a <title> and a <desc>, and the table
  beside it stays: the chart is a picture of the table, not a replacement.
- **One palette.** The level colours are the badges' colours (`palette.LEVEL_FILLS`, checked
  against `static/css/app.css` by a test). They run from very light (no signs) to dark
  (critical), and the two pairs that are close in grey (no signs/attention, risk/critical) are
  told apart by hatching, so a black-and-white print and colour-blind readers keep the order.
  Every bar also carries its number as text.
- **A chart shows only what its table shows.** Builders receive figures already passed through
  the table's suppression (`aggregates.level_table` for the centre, `reporting.hide_small` for
  the administration's copy); a hidden figure (None) draws no bar and no number, only the mark
  `<5`, and no bar is drawn from a difference that the table does not print.
"""
