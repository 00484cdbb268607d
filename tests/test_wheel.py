"""Installable anywhere (issue 10): the wheel carries the templates and the data files.

Builds the wheel from a copy of the source (offline: this venv's setuptools, no build
isolation, no index), installs it into a fresh venv that borrows only the dependencies
from this one (never the editable docgen of the clone), and renders every example from a
folder outside the clone with the installed ``docgen`` command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_INPUTS = sorted(p for p in (REPO / "examples").glob("*.yaml") if p.name != "profile.yaml")
KINDS = sorted(p.stem for p in (REPO / "templates" / "docx").glob("*.docx"))


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PIP_", "DOCGEN_", "VIRTUAL_ENV"))}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", **extra)
    return env


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env or _env(), text=True,
                          capture_output=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(the wheel, the build's output)."""
    import setuptools

    major = int(setuptools.__version__.split(".")[0])
    assert major >= 77, (f"setuptools {setuptools.__version__} in {sys.prefix}: the wheel "
                         "needs setuptools>=77 (run `make venv`, which installs .[dev])")
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"  # a copy: the build writes build/ and *.egg-info beside the sources
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("docgen", "templates"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    dist = work / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "--no-index", "-v", "-w", dist, src], cwd=work)
    wheels = list(dist.glob("docgen-*.whl"))
    assert len(wheels) == 1, wheels
    yield wheels[0], built.stdout + built.stderr


def test_the_wheel_carries_every_package_the_templates_and_the_data(
        wheel: tuple[Path, str]) -> None:
    path, _ = wheel
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    packages = {p.parent.relative_to(REPO).as_posix() for p in (REPO / "docgen").rglob("__init__.py")}
    for package in packages:  # a new subpackage must be listed in pyproject.toml
        assert f"{package}/__init__.py" in names, f"{package} is missing from the wheel"
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "docgen").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules <= names, sorted(modules - names)
    assert {f"docgen/templates_docx/{kind}.docx" for kind in KINDS} <= names
    assert {f"docgen/data/{p.name}" for p in (REPO / "docgen" / "data").iterdir()
            if p.suffix in (".yaml", ".json")} <= names
    assert not any(n.startswith(("templates/", "tests/", "examples/")) for n in names)
    with zipfile.ZipFile(path) as zf:
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in meta


def test_the_build_prints_no_deprecation_of_ours(wheel: tuple[Path, str]) -> None:
    _, output = wheel
    bad = [line for line in output.splitlines()
           if re.search(r"(?i)deprecat|licen[cs]e.*(table|classifier)|SetuptoolsWarning", line)]
    assert bad == []


def test_the_installed_wheel_renders_every_example_outside_the_clone(
        wheel: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = wheel
    fresh = tmp_path / "fresh"
    _run([sys.executable, "-m", "venv", "--without-pip", fresh], cwd=tmp_path)
    python = fresh / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        cwd=tmp_path).stdout.strip())
    # the dependencies from this venv, appended after the fresh site-packages; .pth files
    # of a folder named in a .pth are not run, so the clone's editable finder stays out
    (purelib / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", "utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
          path], cwd=tmp_path)

    work = tmp_path / "work"  # another folder: not the clone, no templates/ next to it
    shutil.copytree(REPO / "examples", work)
    where = _run([python, "-c", "import docgen, docgen.config as c; "
                  "print(docgen.__file__); print(c.DEFAULT_TEMPLATES)"], cwd=work).stdout
    module, templates = where.splitlines()
    assert Path(module).is_relative_to(fresh), module
    assert Path(templates) == Path(purelib) / "docgen" / "templates_docx"

    docgen = fresh / "bin" / "docgen"
    out = work / "rendered"
    done = _run([docgen, "--config", "docgen.toml", "render",
                 *[p.name for p in EXAMPLE_INPUTS], "-o", out], cwd=work)
    rendered = sorted(p.name for p in out.glob("*.docx"))
    assert rendered == sorted(f"{p.stem}.docx" for p in EXAMPLE_INPUTS), done.stdout
    for docx in out.glob("*.docx"):
        with zipfile.ZipFile(docx) as zf:
            assert "word/document.xml" in zf.namelist()
    assert not (work / "templates").exists()
