"""Every benchmark still runs, at a toy size: they are how the speed goals are checked
(README, "Benchmarks"), and a change elsewhere must not leave one broken until someone next
measures. Nothing here looks at a figure: numbers belong to the benchmarks' own runs."""

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

# (benchmark and its smallest arguments, a line its report must hold)
RUNS = [
    (["bench_scoring.py", "--attempts", "50"], "ratio engine/baseline"),
    (["bench_roster_backup.py", "--students", "20", "--answers", "2000"], "backup, 2000 answers"),
    (["bench_import.py", "--answers", "3000", "--repeat", "1"], "peak Python memory"),
    (["bench_centre_scale.py", "--answers", "50000"], "region page"),
    (["bench_refresh.py", "--batches", "2", "--children", "25"], "last 3 (median)"),
    (["bench_imports_page.py", "--rows", "100"], "GET /imports"),
    (["bench_startup.py", "--runs", "1"], "instruments list"),
    (["bench_classroom.py", "--students", "2", "--kill-after", "1"], "answers lost:"),
]


@pytest.mark.parametrize(("arguments", "reported"), RUNS, ids=[run[0][0] for run in RUNS])
def test_the_benchmark_runs_and_reports(arguments, reported):
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / arguments[0]), *arguments[1:]],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert reported in done.stdout
