"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, a unix socket
only (no network), stopped at the end. Root may not run initdb: then the `postgres` account
runs the server, in a folder it owns."""

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

MISSING = "PostgreSQL not installed: apt-get install postgresql"


def bin_dir():
    """The folder of initdb and pg_ctl, or None when PostgreSQL is not installed."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    candidates += sorted(
        (str(Path(path).parent) for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda folder: (
            int(Path(folder).parent.name) if Path(folder).parent.name.isdigit() else 0
        ),
        reverse=True,
    )
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


class Cluster:
    """One server for the test session; `database()` makes a fresh database on it."""

    def __init__(self, binaries):
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="diagnostics-pg-"))
        self.data, self.socket = self.root / "data", self.root / "socket"
        self.socket.mkdir()
        self.port = 40000 + os.getpid() % 20000  # only names the socket file
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command):
        subprocess.run(
            [*self.as_user, *command], check=True, capture_output=True, text=True, cwd=self.root
        )

    def start(self):
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        options = f"-k {self.socket} -c listen_addresses='' -p {self.port} -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "start",
        )
        return self

    def url(self, name="postgres"):
        return f"postgresql://postgres@/{name}?host={self.socket}&port={self.port}"

    def admin(self, sql):
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def database(self):
        """A new empty database; returns its URL."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        self.admin(f"CREATE DATABASE {name}")
        return name, self.url(name)

    def drop(self, name):
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self):
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def centre_with_a_school(cluster):
    """A fresh centre database on the cluster holding one enrolled school (id 1), as a
    fixture's generator: yields the connection, then closes it and drops the database."""
    from diagnostics.db import connect, upgrade

    name, url = cluster.database()
    upgrade(url)
    db = connect(url)
    db.execute(
        "INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,"
        " enrolled_at) VALUES ('KZ-1', 'S', 'R', 'D', 'k', 'f', '2026')"
    )
    yield db
    db.close()
    cluster.drop(name)
