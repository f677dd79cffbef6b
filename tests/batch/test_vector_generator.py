"""sync/testvector/generate.py and key_changes.py write the committed vectors byte for byte:
they are made from fixed keys and seeds, and the scripts say so truthfully."""

import importlib.util
from pathlib import Path

VECTORS = Path(__file__).resolve().parents[2] / "sync" / "testvector"


def generator(name="generate"):
    spec = importlib.util.spec_from_file_location(f"testvector_{name}", VECTORS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
    }


def test_the_generator_writes_the_committed_vectors_again(tmp_path):
    generator().main(tmp_path)
    generator("key_changes").main(tmp_path)
    written, committed = files(tmp_path), files(VECTORS)
    assert sorted(written) == sorted(committed)
    assert [name for name in written if written[name] != committed[name]] == []
