"""Students from the spreadsheets schools export: read, check, plan, apply.

Plain functions, no Flask: the web import and `diagnostics roster import` share them.
"""

from diagnostics.school.roster.sheets.plan import ImportFailed, Plan, apply_plan, plan_import
from diagnostics.table_files import FileRefused, read_table

__all__ = ["FileRefused", "ImportFailed", "Plan", "apply_plan", "plan_import", "read_table"]
