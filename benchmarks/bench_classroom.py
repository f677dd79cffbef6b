"""Classroom benchmark: 40 students answering a full battery over real HTTP, all at once.

Run: python benchmarks/bench_classroom.py [--students 40]

Starts `diagnostics serve` on loopback with a fresh instance, lets N simulated students (one
thread and one cookie jar each) enter their codes and answer every item, one save per answer,
then counts what reached the database. Prints answers lost (must be 0), p50/p95 latency of a
save, and answer throughput as a ratio against a bare endpoint on the same server that does
one SQLite insert per request, measured in the same run with the same concurrency.
"""

import argparse
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

BATTERY = ["phqa", "gad7", "who5", "loneliness3"]
TOKEN = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
OPTION = re.compile(rb'name="value" value="(-?\d+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Student:
    """One child's browser: a cookie jar, no automatic redirects."""

    def __init__(self, base, code):
        self.base, self.code = base, code
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect
        )
        self.token = None
        self.error = None
        self.latencies = []
        self.saved = 0

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, response.headers.get("Location"), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location"), error.read()

    def view(self, path):
        """GET a page as the browser shows it, keeping the form token it carries."""
        status, _, page = self.request(path)
        found = TOKEN.search(page)
        if status != 200 or not found:
            raise RuntimeError(f"{path}: HTTP {status}")
        self.token = found.group(1).decode()
        return page

    def post(self, path, **fields):
        return self.request(path, {"csrf_token": self.token, **fields})

    def run(self):
        self.view("/go/")
        self.post("/go/", code=self.code)
        self.view("/go/start")
        self.post("/go/start", lang="ru")
        for _ in range(1000):
            _, location, _ = self.request("/go/next")
            path = urllib.parse.urlparse(location).path
            if path.endswith("/go/done"):
                return
            page = self.view(path)  # the child sees the instructions or the question
            if path.rstrip("/").split("/")[-1].isdigit():
                self.post(path)
                continue
            first_option = OPTION.search(page).group(1).decode()
            start = time.perf_counter()
            status, location, _ = self.post(path, value=first_option)
            self.latencies.append(time.perf_counter() - start)
            self.saved += status == 302 and "missing" not in (location or "")
        raise RuntimeError("the questionnaire did not end")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_instance(folder, students):
    """A demo school and an anonymous session with one code per simulated student."""
    from diagnostics import create_app
    from diagnostics.db import connect
    from diagnostics.school.demo import fill_demo
    from diagnostics.school.screening.classroom import open_session

    app = create_app({}, instance_path=folder)
    db = connect(app.config["DATABASE"])
    fill_demo(db)
    opened = open_session(
        db,
        app.extensions["instruments"],
        title="bench",
        class_id=3,
        mode="anonymous",
        battery=BATTERY,
        opens_at="2000-01-01T00:00:00",
        closes_at="2100-01-01T00:00:00",
        user_id=1,
        anonymous_count=students,
    )
    codes = [
        row[0]
        for row in db.execute("SELECT code FROM codes WHERE session_id = ?", [opened.session_id])
    ]
    db.close()
    return app.config["DATABASE"], codes


def start_server(folder, port):
    env = {**os.environ, "DIAGNOSTICS_BENCHMARK_ENDPOINT": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "diagnostics",
            "--instance",
            str(folder),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            "8",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/go/", timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def run_threads(targets):
    threads = [threading.Thread(target=target) for target in targets]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def bare_inserts(base, count, workers):
    """The baseline: the same number of POSTs, one SQLite insert each, same concurrency."""
    per_worker = count // workers

    def worker():
        for _ in range(per_worker):
            request = urllib.request.Request(base + "/_bench/insert", data=b"", method="POST")
            urllib.request.urlopen(request, timeout=60).close()

    return per_worker * workers, run_threads([worker] * workers)


def database_counts(database):
    """Answer rows saved, and codes that reached the end."""
    conn = sqlite3.connect(database)
    saved = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    finished = conn.execute("SELECT count(*) FROM codes WHERE status = 'finished'").fetchone()[0]
    conn.close()
    return saved, finished


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "instance"
        database, codes = prepare_instance(folder, args.students)
        port = free_port()
        server = start_server(folder, port)
        base = f"http://127.0.0.1:{port}"
        try:
            students = [Student(base, code) for code in codes]
            elapsed = run_threads([student.run for student in students])
            bare_count, bare_elapsed = bare_inserts(
                base, sum(s.saved for s in students), args.students
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(students, elapsed, bare_count, bare_elapsed, *database_counts(database))


def report(students, elapsed, bare_count, bare_elapsed, saved_rows, finished):
    latencies = sorted(seconds for s in students for seconds in s.latencies)
    sent = len(latencies)
    acknowledged = sum(s.saved for s in students)
    throughput = sent / elapsed
    bare = bare_count / bare_elapsed
    p95 = latencies[int(0.95 * (sent - 1))]
    print(f"students: {len(students)}  battery: {', '.join(BATTERY)}")
    print(f"answers sent: {sent}  acknowledged: {acknowledged}  rows in the database: {saved_rows}")
    print(
        f"answers lost: {acknowledged - saved_rows}  (codes finished: {finished}/{len(students)})"
    )
    print(
        f"save latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
    )
    print(f"classroom: {throughput:.0f} answers/s (each with the page views around it)")
    print(f"bare insert endpoint: {bare:.0f} requests/s")
    print(f"ratio classroom/bare: {throughput / bare:.2f}")


if __name__ == "__main__":
    main()
