"""Write the JSON Schemas of FORMAT.md's header and record kinds into this folder.

    python sync/schema/generate.py

They are built from the app's own reader rules (diagnostics/batch/schema.py);
tests/batch/test_record_schemas.py fails when the committed files differ from what this writes.
"""

import json
from pathlib import Path

from diagnostics.batch.schema import schemas

HERE = Path(__file__).resolve().parent


def text(schema):
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main():
    for name, schema in schemas().items():
        (HERE / name).write_text(text(schema), encoding="utf-8")
        print(name)


if __name__ == "__main__":
    main()
