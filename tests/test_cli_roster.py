"""`diagnostics roster import FILE [--dry-run]` on real files."""

from diagnostics.cli import main
from diagnostics.db import connect

LIST = """Тегі;Аты;Туған күні;Жынысы;Сынып
Сейітов;Нұрлан;01.02.2012;ер;7Қ
Жұмабаева;Әсел;05.03.2011;қыз;8Ә
"""


def count_students(app):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT count(*) FROM students").fetchone()[0]
    finally:
        db.close()


def test_dry_run_shows_the_plan_and_writes_nothing(app, runner, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(LIST.encode("utf-8-sig"))
    result = runner.invoke(main, ["roster", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Сейітов Нұрлан" in result.output and "7Қ" in result.output
    assert count_students(app) == 0


def test_import_then_again_changes_nothing(app, runner, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(LIST.encode())
    assert runner.invoke(main, ["roster", "import", str(path)]).exit_code == 0
    assert count_students(app) == 2
    again = runner.invoke(main, ["roster", "import", str(path)])
    assert again.exit_code == 0 and "+ " not in again.output
    assert count_students(app) == 2


def test_any_refused_row_exits_1_with_every_reason_and_writes_nothing(app, runner, tmp_path):
    path = tmp_path / "broken.csv"
    broken = LIST + "Қасымов;Ерасыл;31.02.2012;ер;7Қ\nҚасымов;Арман;01.01.2012;?;7Қ\n"
    path.write_bytes(broken.encode())
    result = runner.invoke(main, ["roster", "import", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if str(path) in line]
    assert len(lines) == 2
    assert " 4" in lines[0] and "31.02.2012" in lines[0]
    assert " 5" in lines[1] and "?" in lines[1]
    assert count_students(app) == 0


def test_a_file_that_is_no_list_exits_1(app, runner, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = runner.invoke(main, ["roster", "import", str(path)])
    assert result.exit_code == 1 and str(path) in result.output


def test_students_no_longer_listed_are_shown_and_archived_with_the_flag(app, runner, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(LIST.encode())
    assert runner.invoke(main, ["roster", "import", str(path)]).exit_code == 0
    shorter = tmp_path / "shorter.csv"
    shorter.write_bytes("\n".join(LIST.splitlines()[:2]).encode())  # only Сейітов, 7Қ
    result = runner.invoke(main, ["roster", "import", str(shorter)])
    assert result.exit_code == 0, result.output
    # Жұмабаева's class 8Ә is not in the file: nobody is missing, nothing archived.
    assert "Жұмабаева" not in result.output
    alone = tmp_path / "alone.csv"
    alone.write_bytes("Тегі;Аты;Туған күні;Жынысы;Сынып\nОспан;Айдар;03.03.2012;ер;7Қ\n".encode())
    shown = runner.invoke(main, ["roster", "import", str(alone)])
    assert shown.exit_code == 0 and "Сейітов Нұрлан" in shown.output
    assert count_archived(app) == 0
    result = runner.invoke(main, ["roster", "import", str(alone), "--archive-missing"])
    assert result.exit_code == 0, result.output
    assert count_archived(app) == 1


def count_archived(app):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT count(*) FROM students WHERE archived_at IS NOT NULL").fetchone()[
            0
        ]
    finally:
        db.close()
