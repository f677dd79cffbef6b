"""The confidential PDFs of the follow-up work: result report, class summary, control form."""

from diagnostics.school.followup.pdf.child_report import child_report_pdf
from diagnostics.school.followup.pdf.class_summary import class_summary_pdf
from diagnostics.school.followup.pdf.control_form import control_form_pdf

__all__ = ["child_report_pdf", "class_summary_pdf", "control_form_pdf"]
