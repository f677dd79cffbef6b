"""Many schools for enrolment tests: real Ed25519 keys, enrolment files as schools write them."""

import io
import json
import zipfile

from cryptography.hazmat.primitives.asymmetric import ed25519

from diagnostics.batch.documents import enrolment_document

REGIONS = ("Алматы облысы", "Түркістан облысы", "Абай облысы")


def make_schools(count, start=1):
    """(school code, its private key, its enrolment document) for `count` schools."""
    schools = []
    for number in range(start, start + count):
        key = ed25519.Ed25519PrivateKey.generate()
        school = {
            "school_code": f"KZ-{number:04d}",
            "name": f"Мектеп № {number}",
            "region": REGIONS[number % len(REGIONS)],
            "district": f"Аудан {number % 7}",
        }
        schools.append((school["school_code"], key, enrolment_document(school, key)))
    return schools


def write_files(folder, schools):
    """Each enrolment file as a browser saves it (CODE-enrolment.json), some in subfolders."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, (code, _key, document) in enumerate(schools):
        where = folder / f"district-{index % 3}" if index % 2 else folder
        where.mkdir(exist_ok=True)
        (where / f"{code}-enrolment.json").write_text(json.dumps(document), encoding="utf-8")
    return folder


def zip_of(schools):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for code, _key, document in schools:
            archive.writestr(f"{code}-enrolment.json", json.dumps(document))
    return out.getvalue()


def list_csv(lines, headings=("Код школы", "Отпечаток"), delimiter=";", bom=True):
    """The list as Excel set to Russian saves it: BOM, semicolons, CRLF."""
    rows = [delimiter.join(headings)] + [delimiter.join(line) for line in lines]
    text = "\r\n".join(rows) + "\r\n"
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def lines_of(schools):
    return [(code, document["fingerprint"]) for code, _key, document in schools]
