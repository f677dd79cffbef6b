"""Start-up benchmark: CLI commands against the bare import of the dependencies, same run.

Run: python benchmarks/bench_startup.py [--runs 7]

Each command runs as its own process (as a user starts it), interleaved with a process that
only imports the app's dependencies; the CPU time (user + system) of each is taken from the
operating system and the median of the runs is compared. Bytecode caches are allowed, as in an
installed copy. `instruments list` is measured warm (the instance's instrument cache filled by a
first run) and cold (a fresh instance each time). Then `serve` is started on the warm instance
and on a fresh one, and the seconds until it answers its first request are printed.
"""

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

DEPENDENCIES = (
    "flask, flask_babel, flask_wtf, wtforms, sqlite_utils, reportlab, cryptography, waitress, "
    "yaml, openpyxl"
)
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def cpu_seconds(command):
    """User + system CPU seconds of one child process running the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=ENV, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def app_command(instance, *arguments):
    return [sys.executable, "-m", "diagnostics", "--instance", str(instance), *arguments]


def measure(runs, tmp):
    warm = Path(tmp) / "warm"
    commands = {
        "bare import of the dependencies": lambda n: [
            sys.executable,
            "-c",
            f"import {DEPENDENCIES}",
        ],
        "diagnostics --help": lambda n: app_command(warm, "--help"),
        "diagnostics instruments list": lambda n: app_command(warm, "instruments", "list"),
        "instruments list, fresh instance": lambda n: app_command(
            Path(tmp) / f"cold-{n}", "instruments", "list"
        ),
    }
    for make in commands.values():  # bytecode and the warm instance's cache, once
        cpu_seconds(make("first"))
    times = {name: [] for name in commands}
    for run in range(runs):
        for name, make in commands.items():
            times[name].append(cpu_seconds(make(run)))
    return {name: statistics.median(values) for name, values in times.items()}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_answer(instance):
    """Seconds from starting `serve` on the instance to its first HTTP answer."""
    port = free_port()
    start = time.perf_counter()
    process = subprocess.Popen(
        app_command(instance, "serve", "--host", "127.0.0.1", "--port", str(port)),
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - start < 60:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/go/", timeout=5).close()
                return time.perf_counter() - start
            except urllib.error.HTTPError:
                return time.perf_counter() - start
            except OSError:
                time.sleep(0.02)
        raise SystemExit("serve did not answer within 60 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        medians = measure(args.runs, tmp)
        serve_seconds = {
            "instance used before": first_answer(Path(tmp) / "warm"),
            "fresh instance": first_answer(Path(tmp) / "serve"),
        }
    bare = medians.pop("bare import of the dependencies")
    load, cores = os.getloadavg()[0], os.cpu_count()
    print(f"load average of the machine (1 min): {load:.1f} on {cores} cores")
    print(f"bare import of the dependencies: {bare:.2f} s CPU (median of {args.runs})")
    for name, seconds in medians.items():
        print(f"{name}: {seconds:.2f} s CPU, ratio {seconds / bare:.2f}")
    for name, seconds in serve_seconds.items():
        print(f"serve, {name}: first answer after {seconds:.2f} s")


if __name__ == "__main__":
    main()
