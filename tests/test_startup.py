"""Start-up stays quick: what a command imports, in a real process (no timing here: see
bench/bench_cli.py for the times and their ratios)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

# Run the CLI like the console script and write the names of the modules it imported.
_DRIVER = """
import atexit, sys
out, args = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
from docgen.cli import main
main.main(args, prog_name="docgen")
"""
HEAVY = ("jsonschema", "docx", "docxtpl", "lxml", "jinja2", "pypdf", "yaml", "whoosh", "filelock",
         "sqlite3")
COMMAND_MODULES = ("docgen.cli.archive_cmds", "docgen.cli.authoring_cmds", "docgen.cli.print_cmds",
                   "docgen.cli.render_cmds", "docgen.cli.search_cmds")


def imported(tmp_path: Path, *args: str, cwd: Path | None = None) -> set[str]:
    out = tmp_path / "modules.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env["PYTHONIOENCODING"] = "utf-8"
    subprocess.run([sys.executable, "-c", _DRIVER, str(out), *args], cwd=cwd or tmp_path, env=env,
                   capture_output=True, timeout=120, check=False)
    return set(out.read_text("utf-8").split())


def _loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(p for p in packages if p in modules or any(m.startswith(p + ".") for m in modules))


def test_main_help_imports_no_command_module_and_no_library(tmp_path: Path) -> None:
    modules = imported(tmp_path, "--help")
    assert "docgen.cli" in modules
    assert _loaded(modules, COMMAND_MODULES + HEAVY) == []


def test_search_help_imports_no_search_engine(tmp_path: Path) -> None:
    modules = imported(tmp_path, "search", "--help")
    assert "docgen.cli.search_cmds" in modules
    assert _loaded(modules, HEAVY + ("docgen.search", "docgen.archive", "docgen.model")) == []


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("startup")
    result = CliRunner().invoke(main, ["--config", str(EXAMPLES / "docgen.toml"), "--archive",
                                       str(root / "archive"), "new", str(EXAMPLES / "nghi-quyet.yaml"),
                                       str(EXAMPLES / "bien-ban-thuong-ky.yaml")])
    assert result.exit_code == 0, result.output
    return root


def test_search_imports_neither_the_input_model_nor_word(small_archive: Path, tmp_path: Path) -> None:
    modules = imported(tmp_path, "--archive", str(small_archive / "archive"), "search", "vệ sinh")
    assert "docgen.search.index" in modules and "whoosh.searching" in modules
    assert _loaded(modules, ("jsonschema", "docx", "docxtpl", "lxml", "jinja2", "pypdf", "filelock",
                             "multiprocessing", "docgen.model.validation", "docgen.model.document",
                             "docgen.render", "docgen.printing", "docgen.archive.bundle",
                             "docgen.archive.verify")) == []
    # no YAML parser: the topics come from data/topics.json, nothing read is YAML (~8 ms)
    assert _loaded(modules, ("yaml",)) == []


def test_search_with_an_alias_list_parses_it_once(small_archive: Path, tmp_path: Path) -> None:
    """aliases.yaml is parsed by the first search, then read from its JSON copy in the index."""
    archive = small_archive / "archive"
    (archive / "aliases.yaml").write_text("Thôn Bản Xèo: [Thôn Bản Xèo cũ]\n", "utf-8")
    try:
        first = imported(tmp_path, "--archive", str(archive), "search", "vệ sinh")
        second = imported(tmp_path, "--archive", str(archive), "search", "vệ sinh")
    finally:
        (archive / "aliases.yaml").unlink()
    assert "docgen.search.index" in first and _loaded(first, ("yaml",)) == ["yaml"]
    assert "docgen.search.index" in second and _loaded(second, ("yaml",)) == []
