"""Classroom benchmark: N students answering a full battery over real HTTP against `serve`.

Run: python benchmarks/bench_classroom.py [--students 40]

Starts `diagnostics serve` on loopback with a fresh instance. Each simulated student (one
thread, one cookie jar) behaves as a browser: it enters its code, chooses a language and taps
one answer per question, following every redirect to the next page (the reply to an answer is
usually the next page itself, which says its own address); "tap → next" is the time from
sending the answer to having the next page, all requests included.

1. Flat out (no thinking time): answers per second, against a bare endpoint on the same server
   doing one fsynced SQLite insert per request, measured in the same run with the same
   concurrency (the ratio).
2. Flat out again with the psychologist's live board polling `board.json` every 3 s, as its
   page does: what the board adds to the answer path's cost. Runs 1 and 2 are done twice,
   alternated, so that a machine busy with something else hurts both alike. Both comparisons
   are also given in the server process's CPU time (Linux), which other work on a shared
   machine disturbs far less than the rates.
   The CPU comparison is made once more with one child at a time against one client of the
   bare endpoint: the ratio without the crowd, the answer's own work against an insert's.
3. Lesson pace (0.3-1.2 s thinking per answer): tap → next p50/p95. Part-way the benchmark
   kills the server with SIGKILL and starts it again; a student whose request fails taps
   again once the server is back. Every answer that the server acknowledged (the next page, or
   a redirect to it) must be in the database: answers lost.
"""

import argparse
import contextlib
import http.client
import os
import random
import re
import signal
import socket
import sqlite3
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
# A page's own address: the reply to an answer is the next page, at the answer's URL.
HERE = re.compile(rb'<main class="student-main" data-here="([^"]+)"')
QUESTION = re.compile(r"/go/(\d+)/([^/?]+)$")
INSTRUCTIONS = re.compile(r"/go/\d+$")
FAILURES = (OSError, http.client.HTTPException)
BOARD_EVERY = 3.0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar, redirects followed by hand so that each request is seen."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect
        )
        self.token = None

    def request(self, path, data=None):
        """(status, Location, body, path) of one request."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, response.headers.get("Location"), response.read(), path
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location"), error.read(), path

    def follow(self, status, location, page, path):
        """Follow redirects to the page the browser ends on: (its address, page)."""
        while status in (301, 302, 303):
            status, location, page, path = self.request(urllib.parse.urlparse(location).path)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        found = TOKEN.search(page)
        self.token = found.group(1).decode() if found else self.token
        here = HERE.search(page)
        return (here.group(1).decode() if here else path), page

    def get(self, path):
        return self.follow(*self.request(path))[1]

    def post(self, path, **fields):
        return self.request(path, {"csrf_token": self.token, **fields})


def hidden(page, name):
    found = re.search(rb'name="' + name.encode() + rb'" type="hidden" value="([^"]*)"', page)
    return {name: found.group(1).decode()} if found else {}


class Student(Browser):
    def __init__(self, base, code, pace=None):
        super().__init__(base)
        self.code, self.pace = code, pace
        self.latencies = []
        self.acknowledged = set()  # (position, item) the server confirmed
        self.retried = 0

    def run(self):
        self.get("/go/")
        path, page = self.follow(*self.post("/go/", code=self.code))
        path, page = self.follow(*self.post(path, lang="ru"))
        for _ in range(1000):
            if path.endswith("/go/done"):
                return
            path, page = self.step(path, page)
        raise RuntimeError("the questionnaire did not end")

    def step(self, path, page):
        """One action on the page shown; a failed request is tapped again once the server is
        back, from the page a reload shows."""
        question = QUESTION.search(path)
        if not question:
            try:
                return self.follow(*self.post(path))  # instructions: "Begin"
            except FAILURES:
                self.retried += 1
                return self.reload()
        value = OPTION.search(page).group(1).decode()
        if self.pace:
            time.sleep(random.uniform(*self.pace))
        start = time.perf_counter()
        try:
            reply = self.post(path, value=value, **hidden(page, "stamp"))
            status, location = reply[:2]
            # The next page itself, or a redirect to it: the answer is saved.
            answered = status == 200 or (status in (302, 303) and "missing" not in location)
            if answered:
                self.acknowledged.add((int(question.group(1)), question.group(2)))
            following = self.follow(*reply)
        except FAILURES:
            self.retried += 1
            return self.reload()
        self.latencies.append(time.perf_counter() - start)
        return following

    def reload(self):
        for _ in range(600):
            time.sleep(0.1)
            try:
                return self.follow(*self.request("/go/next"))
            except FAILURES:
                continue
        raise RuntimeError("the server did not come back")


class Board(Browser):
    """The psychologist's live board: board.json every 3 s while the lesson runs."""

    def __init__(self, base, session_id):
        super().__init__(base)
        self.session_id = session_id
        self.stop = threading.Event()
        self.polls = 0

    def log_in(self):
        from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME

        self.get("/login")
        self.follow(*self.post("/login", username=DEMO_USERNAME, password=DEMO_PASSWORD))
        self.get(f"/sessions/{self.session_id}/board")

    def run(self):
        while not self.stop.wait(BOARD_EVERY):
            status = self.request(f"/sessions/{self.session_id}/board.json")[0]
            if status != 200:
                raise RuntimeError(f"board.json: HTTP {status}")
            self.polls += 1


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_instance(folder, students, sessions):
    """A demo school and anonymous sessions with one code per simulated student each."""
    from diagnostics import create_app
    from diagnostics.db import connect
    from diagnostics.school.demo import fill_demo
    from diagnostics.school.screening.classroom import open_session

    app = create_app({}, instance_path=folder)
    db = connect(app.config["DATABASE"])
    fill_demo(db)
    prepared = []
    for number in range(sessions):
        opened = open_session(
            db,
            app.extensions["instruments"],
            title=f"bench {number}",
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
            for row in db.execute(
                "SELECT code FROM codes WHERE session_id = ?", [opened.session_id]
            )
        ]
        prepared.append((opened.session_id, codes))
    db.close()
    return app.config["DATABASE"], prepared


class Server:
    """`diagnostics serve` as a child process, which the benchmark may kill and start again."""

    def __init__(self, folder, port):
        self.folder, self.port = folder, port
        self.process = None

    def start(self):
        env = {**os.environ, "DIAGNOSTICS_BENCHMARK_ENDPOINT": "1"}
        command = [sys.executable, "-m", "diagnostics", "--instance", str(self.folder), "serve"]
        options = ["--host", "127.0.0.1", "--port", str(self.port), "--threads", "8"]
        self.process = subprocess.Popen(
            command + options, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/go/", timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.process.kill()
        raise SystemExit("the server did not start")

    def kill_and_restart(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.start()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    @contextlib.contextmanager
    def cpu(self, totals, kind):
        """Add the server's CPU seconds (user and system) during the block to totals[kind]."""
        before = self.cpu_seconds()
        yield
        totals[kind] += self.cpu_seconds() - before

    def cpu_seconds(self):
        """The server process's CPU time so far (Linux /proc; 0 elsewhere)."""
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_threads(targets):
    threads = [threading.Thread(target=target) for target in targets]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def lesson(base, codes, pace=None, board=None, server=None, kill_after=None):
    """All students answer at once; returns (students, seconds)."""
    students = [Student(base, code, pace) for code in codes]
    extra = []
    if board:  # (logged in before: a login's password check is not the board's cost)
        extra.append(threading.Thread(target=board.run))
    if server and kill_after:
        extra.append(threading.Timer(kill_after, server.kill_and_restart))
    for thread in extra:
        thread.start()
    elapsed = run_threads([student.run for student in students])
    if board:
        board.stop.set()
    for thread in extra:
        thread.join()
    return students, elapsed


def bare_inserts(base, count, workers):
    """The baseline: `count` POSTs, one SQLite insert each, with the same concurrency."""
    per_worker = count // workers

    def worker():
        for _ in range(per_worker):
            request = urllib.request.Request(base + "/_bench/insert", data=b"", method="POST")
            urllib.request.urlopen(request, timeout=60).close()

    return per_worker * workers, run_threads([worker] * workers)


def one_at_a_time(base, server, codes, runs, cpu):
    """A child after another, then one client of the bare endpoint, each with the server's
    CPU time: the ratio without the crowd."""
    with server.cpu(cpu, "alone"):
        runs["alone"] += [lesson(base, [code]) for code in codes]
    answers = sum(len(s.latencies) for students, _ in runs["alone"] for s in students)
    with server.cpu(cpu, "alone_bare"):
        runs["alone_bare"].append(bare_inserts(base, answers, 1))


def lost_answers(database, students):
    """Acknowledged answers that are not in the database, and the codes finished."""
    conn = sqlite3.connect(database)
    stored = set(
        conn.execute(
            "SELECT codes.code, answers.instrument_id, answers.item_id"
            " FROM answers JOIN codes ON codes.id = answers.code_id"
        )
    )
    finished = conn.execute("SELECT count(*) FROM codes WHERE status = 'finished'").fetchone()[0]
    conn.close()
    lost = sum(
        (student.code, BATTERY[position], item) not in stored
        for student in students
        for position, item in student.acknowledged
    )
    return lost, finished


def milliseconds(latencies, share):
    ordered = sorted(latencies)
    return ordered[int(share * (len(ordered) - 1))] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--kill-after", type=float, default=8.0, help="seconds into the lesson")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "instance"
        database, sessions = prepare_instance(folder, args.students, 6)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = Server(folder, port)
        server.start()
        runs = {"flat": [], "bare": [], "board": [], "alone": [], "alone_bare": []}
        cpu = dict.fromkeys(runs, 0.0)  # the server's CPU seconds in each
        try:
            for (_, flat_codes), (board_session, board_codes) in (sessions[0:2], sessions[2:4]):
                # Alternated, so that a machine busy with something else hurts all alike.
                with server.cpu(cpu, "flat"):
                    runs["flat"].append(lesson(base, flat_codes))
                answers = sum(len(s.latencies) for s in runs["flat"][-1][0])
                with server.cpu(cpu, "bare"):
                    # Three times as many requests: a window as long as the lesson's.
                    runs["bare"].append(bare_inserts(base, 3 * answers, args.students))
                board = Board(base, board_session)
                board.log_in()
                with server.cpu(cpu, "board"):
                    runs["board"].append(lesson(base, board_codes, board=board))
            one_at_a_time(base, server, sessions[5][1], runs, cpu)
            paced, _ = lesson(
                base, sessions[4][1], (0.3, 1.2), server=server, kill_after=args.kill_after
            )
        finally:
            server.stop()
        everyone = [s for kind in ("flat", "board", "alone") for run in runs[kind] for s in run[0]]
        lost, finished = lost_answers(database, everyone + paced)
    acknowledged = sum(len(s.acknowledged) for s in everyone + paced)
    report(args.students, runs, paced, (lost, acknowledged), finished)
    report_cpu(runs, cpu)


def rate(runs):
    """Answers per second over several runs of (students, seconds)."""
    answers = sum(len(s.latencies) for students, _ in runs for s in students)
    return answers / sum(seconds for _, seconds in runs)


def report(count, runs, paced, lost, finished):
    flat_rate, boarded_rate = rate(runs["flat"]), rate(runs["board"])
    bare = sum(n for n, _ in runs["bare"]) / sum(seconds for _, seconds in runs["bare"])
    flat_taps = [t for students, _ in runs["flat"] for s in students for t in s.latencies]
    taps = [seconds for s in paced for seconds in s.latencies]
    print(f"students: {count}  battery: {', '.join(BATTERY)}")
    load, cores = os.getloadavg()[0], os.cpu_count()
    print(f"load average of the machine (1 min): {load:.1f} on {cores} cores")
    print(
        f"flat out: {flat_rate:.0f} answers/s (each with every request around it), "
        f"tap -> next p50 {milliseconds(flat_taps, 0.5):.0f} ms"
    )
    print(f"bare one-insert endpoint: {bare:.0f} requests/s")
    print(f"ratio classroom/bare: {flat_rate / bare:.2f}")
    print(
        f"flat out with the live board polling every {BOARD_EVERY:g} s: "
        f"{boarded_rate:.0f} answers/s, cost added {(flat_rate / boarded_rate - 1) * 100:+.0f} %"
    )
    print(
        f"lesson pace: tap -> next p50 {milliseconds(taps, 0.5):.0f} ms, "
        f"p95 {milliseconds(taps, 0.95):.0f} ms ({len(taps)} taps; "
        f"{sum(s.retried for s in paced)} taps failed across the SIGKILL and were tapped again)"
    )
    print(f"answers lost: {lost[0]} of {lost[1]} acknowledged (the lesson had a SIGKILL)")
    print(f"codes finished: {finished}/{6 * count}")


def report_cpu(runs, cpu):
    """The same comparisons in the server's own CPU time, which other work on the machine
    disturbs far less than the rates."""
    if not cpu["bare"]:
        return
    answers = {
        kind: sum(len(s.latencies) for students, _ in runs[kind] for s in students)
        for kind in ("flat", "board")
    }
    requests = sum(n for n, _ in runs["bare"])
    flat, board = cpu["flat"] / answers["flat"], cpu["board"] / answers["board"]
    bare = cpu["bare"] / requests
    print(
        f"server CPU: {flat * 1000:.2f} ms per answer (every request around it), "
        f"{bare * 1000:.2f} ms per bare request: ratio {bare / flat:.2f}"
    )
    print(
        f"server CPU with the live board: {board * 1000:.2f} ms per answer, "
        f"added {(board / flat - 1) * 100:+.0f} %"
    )
    alone = cpu["alone"] / sum(len(s.latencies) for students, _ in runs["alone"] for s in students)
    alone_bare = cpu["alone_bare"] / sum(n for n, _ in runs["alone_bare"])
    print(
        f"server CPU, one child at a time: {alone * 1000:.2f} ms per answer, "
        f"{alone_bare * 1000:.2f} ms per bare request (one client): ratio {alone_bare / alone:.2f}"
    )


if __name__ == "__main__":
    main()
