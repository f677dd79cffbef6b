"""Run `diagnostics serve` as a real process on a free loopback port."""

import os
import socket
import subprocess
import threading
import time
import urllib.request
from contextlib import contextmanager

import waitress


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    """The page's text once the server answers; None if it never does (about 20 s)."""
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.2)
    return None


@contextmanager
def running(command, cwd=None, env=None):
    """Start `command` (a serve command line); stop it after the block. Yields the process."""
    env = {**(env or os.environ), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        process.output = process.communicate(timeout=20)[0]


def serve_in_thread(app, threads=4, port=0):
    """The app over real HTTP on a loopback port (free when 0), in a thread; stop it with `stop`."""
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=threads)
    threading.Thread(target=_run_until_stopped, args=(server,), daemon=True).start()
    return server


def _run_until_stopped(server):
    """waitress's loop; closing the server from the test's thread may end it with a closed
    socket under select(), which is the expected end, not an error of the app."""
    try:
        server.run()
    except (OSError, ValueError):
        if not getattr(server, "stopping", False):
            raise


def stop(server):
    server.stopping = True
    server.close()
