"""Write the key change test vector of FORMAT.md ("Centre key rotation") into this folder.

    python sync/testvector/key_changes.py

Two rotations of the test vector's centre (the key `batch.dxb` is sealed to): key 1 → key 2 →
key 3, the keys derived from fixed labels as in `generate.py` (test keys: never use them).
Ed25519 signatures are deterministic, so every run writes the same bytes;
`tests/batch/test_key_change_vector.py` checks that the app still writes exactly these files
and follows the chain they hold.

- `key-changes.json`: the key change file (canonical JSON), both messages, oldest first;
- `key-changes-expected.json`: each key's 128 private bytes (laid out as in "Centre private key
  file") and fingerprint, and for the first message the exact bytes both signatures are made
  over (`signed_hex`: the label ‖ canonical JSON of `change`).
"""

import json
import sys
from pathlib import Path

from diagnostics.batch.files import canonical
from diagnostics.batch.keychange import CHANGE_LABEL, changes_file, make_key_change
from diagnostics.batch.keys import CentrePrivate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import test_bytes  # noqa: E402  (the one derivation of the vectors' test keys)

LABELS = [f"kz-diagnostics test vector centre{suffix}" for suffix in ("", " 2", " 3")]
TIMES = ["2027-01-11T10:00:00", "2028-01-10T10:00:00"]


def keys():
    return [CentrePrivate.from_bytes(test_bytes(label, 128)) for label in LABELS]


def vector():
    """(key change file, expected values) of the two rotations."""
    centre = keys()
    changes = [make_key_change(centre[i], centre[i + 1], TIMES[i]) for i in range(2)]
    expected = {
        "keys": [
            {"private_hex": key.to_bytes().hex(), "fingerprint": key.public.fingerprint}
            for key in centre
        ],
        "first_change_signed_hex": (CHANGE_LABEL + canonical(changes[0]["change"])).hex(),
    }
    return changes_file(changes), expected


def main(folder=None):
    """Write both files into `folder` (this one by default; a test writes a copy elsewhere)."""
    out = Path(folder) if folder else HERE
    document, expected = vector()
    (out / "key-changes.json").write_bytes(canonical(document) + b"\n")
    text = json.dumps(expected, indent=2, sort_keys=True) + "\n"
    (out / "key-changes-expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
