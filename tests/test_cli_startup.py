"""What a command's start imports: every command and every server start pays for it
(benchmarks/bench_startup.py measures the cost). The PDF stack, the spreadsheet reader and the
schema checker are imported by what uses them, not by `--help` or a start that finds the
instrument collection and the algorithm unchanged since the last one."""

import subprocess
import sys

HEAVY = ("reportlab.platypus", "reportlab.pdfbase.pdfmetrics", "jsonschema", "openpyxl")
RUN = """import runpy, sys
sys.argv = ["diagnostics", *sys.argv[1:]]
try:
    runpy.run_module("diagnostics", run_name="__main__")
except SystemExit:
    pass
print("imported:", *sorted(name for name in %r if name in sys.modules))
"""


def imported(*arguments):
    done = subprocess.run(
        [sys.executable, "-c", RUN % (HEAVY,), *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1].split()[1:]


def test_help_imports_none_of_the_heavy_modules():
    assert imported("--help") == []


def test_a_second_start_reads_the_checked_collection_without_the_schema_checker(tmp_path):
    instance = str(tmp_path / "instance")
    assert "jsonschema" in imported("--instance", instance, "instruments", "list")  # first check
    assert imported("--instance", instance, "instruments", "list") == []
