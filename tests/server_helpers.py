"""Run `diagnostics serve` as a real process on a free loopback port."""

import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager


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
