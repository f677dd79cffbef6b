"""The region's charts as a PDF for a report: the same pictures as the page, in `lang`."""

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.platypus import KeepTogether

from diagnostics.charts.drawing import drawing
from diagnostics.charts.region import region_charts
from diagnostics.pdf_layout import WIDE, build, para


def region_charts_pdf(table, place, lang):
    """The charts of the suppressed level table `table` for `place` (a line of text)."""
    with force_locale(lang):
        title = _("Children by level: charts")
        story = [para(title, "title"), para(place)]
        for chart in filter(None, region_charts(table).values()):
            story.append(KeepTogether([para(chart.title, "heading"), drawing(chart, WIDE)]))
        story.append(para(_("Cells of fewer than five children are not drawn."), "note"))
        return build(story, title, None, wide=True)
