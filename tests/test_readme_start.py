"""The README's getting-started block runs as written, in a fresh home folder.

Every command line of the block is run by bash, in order, in one shell session (so `cd`
carries over), with the real `docgen` of this checkout's venv on PATH. Two lines are not
typed by this test: `make demo` (the set-up `make test` has just done) and the venv
activation (PATH already has it). The `#` lines are what the secretary does by hand: the
test does that step too — it fills the form the way the README says — and then the rest of
the block must work on what was filled in: render, file, list, find, print.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.authoring.helpers import happy_init_lines, init_input

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _block() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Bắt đầu / Getting started", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, "README: no sh block under Getting started"
    return [line for line in match.group(1).splitlines() if line.strip()]


def _fill(form: Path) -> None:
    """What the README's `#` lines tell the secretary to do, done on the file docgen form wrote."""
    text = form.read_text("utf-8")
    marker = "<- ĐIỀN"  # what the README tells the secretary to look for
    assert marker in "\n".join(_block()) and marker in text
    text = re.sub(r"(?m)^date: .*$", "date: 10/3/2026", text)
    text = re.sub(r"(?m)^start: .*$", "start: 19:30", text)  # unquoted, as people type it
    text = re.sub(r"(?m)^end: .*$", "end: 21:30", text)
    text = re.sub(r"(?m)^  for: .*$", "  for: 2", text)
    text = re.sub(r"(?m)^topics: .*$", "topics: [VSMT]", text)
    text = re.sub(r"(?m)^assessment: \[\]$", (
        "assessment:\n"
        "  - heading: Công tác vệ sinh môi trường\n"
        "    text: Thôn tổ chức tổng vệ sinh đường làng, thu gom rác thải mỗi tuần."), text)
    text = re.sub(r"(?m)^directions: \[\]$", (
        "directions:\n"
        "  - heading: Nhiệm vụ tháng 4\n"
        "    items: [Duy trì vệ sinh môi trường khu dân cư, Vận động hộ gia đình phân loại rác]"),
        text)
    text = re.sub(r"(?m)^assignments: \[\]$", (
        "assignments:\n"
        "  - content: Ra quân tổng vệ sinh đường làng\n"
        "    owner: Lê Văn Cường\n"
        "    deadline: Trước 30/4/2026"), text)
    form.write_text(text, "utf-8")


def _run_block(shell: subprocess.Popen[str], lines: list[str], home: Path,
               answers: Path) -> dict[str, str]:
    """Type each line into the shell; the output of each command, keyed by the command."""
    assert shell.stdin is not None and shell.stdout is not None
    outputs: dict[str, str] = {}
    filled = False
    for line in lines:
        if line.startswith("#"):
            if not filled:  # the hand-made step, once, where the README puts it
                _fill(home / "chibo" / "nq-thang3.yaml")
                filled = True
            continue
        command = line.split("  #")[0].strip()
        if command == "docgen init":
            command += f" < {answers}"
        marker = f"__rc_{len(outputs)}__"
        shell.stdin.write(f"{command}\necho {marker}$?\n")
        shell.stdin.flush()
        out = []
        while True:
            got = shell.stdout.readline()
            assert got, f"shell ended during: {line}\n{''.join(out)}"
            if got.startswith(marker):
                rc = int(got[len(marker):])
                break
            out.append(got)
        text = "".join(out)
        assert rc == 0, f"README step failed (exit {rc}): {line}\n{text}"
        assert "Traceback" not in text and "Usage:" not in text, text
        outputs[command.split(" <")[0]] = text
    assert filled
    return outputs


@pytest.mark.libreoffice
def test_getting_started_block_runs_as_written(tmp_path: Path) -> None:
    lines = _block()
    assert lines[0].startswith("make demo") and lines[1].startswith(". .venv/bin/activate")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update(HOME=str(home), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", LANG="en_US.UTF-8")
    answers = tmp_path / "answers.txt"
    answers.write_text(init_input(happy_init_lines()), "utf-8")

    with subprocess.Popen(["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env=env, cwd=tmp_path) as shell:
        try:
            outputs = _run_block(shell, lines[2:], home, answers)
        finally:
            shell.kill()

    folder = home / "chibo"
    assert (folder / "profile.yaml").is_file() and (folder / "nq-thang3.docx").is_file()
    new = next(v for k, v in outputs.items() if k.startswith("docgen new"))
    assert "01-NQ/CB" in new
    listing = outputs["docgen list"]
    assert "01-NQ/CB" in listing and "10/3/2026" in listing
    found = next(v for k, v in outputs.items() if k.startswith("docgen search"))
    assert "01-NQ/CB" in found or "Nghị quyết" in found, found
    book = folder / "nq-2026.pdf"
    assert book.is_file() and book.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(book), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "vệ sinh môi trường" in text.lower() or "VỆ SINH MÔI TRƯỜNG" in text
