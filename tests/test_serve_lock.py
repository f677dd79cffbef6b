"""One server per instance: a second `diagnostics serve` is refused; a crash leaves no block."""

import subprocess
import sys

import pytest

from diagnostics.serve_lock import LOCK_FILE, AlreadyServing, serving

from server_helpers import fetch, free_port, running


def serve_command(instance, port):
    return [
        sys.executable,
        "-m",
        "diagnostics",
        "--instance",
        str(instance),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


def test_second_server_on_the_same_instance_is_refused_in_both_languages(tmp_path):
    instance = tmp_path / "inst"
    port = free_port()
    with running(serve_command(instance, port)) as first:
        assert fetch(f"http://127.0.0.1:{port}/setup") is not None
        second = subprocess.run(
            serve_command(instance, free_port()), capture_output=True, text=True, timeout=60
        )
        assert first.poll() is None  # the first one keeps serving
    assert second.returncode != 0
    assert "Бағдарлама осы деректер қалтасы үшін іске қосылып тұр" in second.stderr
    assert "Программа уже запущена для папки данных" in second.stderr
    assert str(instance) in second.stderr


def test_a_crashed_server_does_not_block_the_next_start(tmp_path):
    instance = tmp_path / "inst"
    port = free_port()
    with running(serve_command(instance, port)) as crashed:
        assert fetch(f"http://127.0.0.1:{port}/setup") is not None
        crashed.kill()  # no clean-up at all, as in a power cut
        crashed.wait(timeout=20)
    assert f"port {port}" in (instance / LOCK_FILE).read_text(encoding="utf-8")
    with serving(instance, 9999):
        with pytest.raises(AlreadyServing) as refused:
            with serving(instance, 9998):
                pass
        assert refused.value.port == 9999
