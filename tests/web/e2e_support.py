"""A real `docgen serve` over a copy of the two-cell archive, and Debian's real Chromium
driven by Playwright (never a downloaded browser). In CI (CI=true) a missing Chromium
fails the tests; elsewhere it skips them with the command to install it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "printing"))

from printing_support import require_tool  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def require_chromium() -> str:
    """Debian's Chromium (``make sysdeps``): in CI a missing one fails, elsewhere it skips."""
    return require_tool(CHROMIUM)


@dataclass
class Server:
    url: str
    root: Path
    proc: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)  # what the server printed after it started
    reading: threading.Thread | None = None  # the thread reading ``output``

    def log(self) -> str:
        """The server's output so far (for a failing test's message)."""
        return "".join(self.output)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise
        if self.reading is not None:
            self.reading.join(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return int(self.proc.returncode)


def start_server(root: Path, config: Path) -> Server:
    env = {**os.environ, "DOCGEN_LANG": "vi"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", "--config", str(config), "--archive", str(root), "serve",
         "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    url = None
    while time.monotonic() < deadline and url is None:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if found:
            url = found.group(1)
    if url is None:
        proc.kill()
        said = proc.stdout.read()
        proc.wait()
        proc.stdout.close()
        raise AssertionError(f"docgen serve did not start:\n{said[-3000:]}")
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "login", timeout=5) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    server = Server(url, root, proc)
    # keep reading the server's output: a full pipe would block its logging, and with it the server
    server.reading = threading.Thread(target=_drain, args=(proc, server.output), daemon=True)
    server.reading.start()
    return server


def _drain(proc: subprocess.Popen[str], into: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        into.append(line)


def copy_archive(src: Path, dest: Path) -> Path:
    root = dest / "archive"
    shutil.copytree(src, root, symlinks=True)
    return root


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Shots:
    """Screenshots of a test, saved under its temp folder (look at them)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def take(self, page: Any, name: str, full_page: bool = True) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        self.taken.append(path)
        return path

    def element(self, locator: Any, name: str) -> Path:
        """A screenshot of one element (a panel, a page image) at its own size."""
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        locator.screenshot(path=str(path))
        self.taken.append(path)
        return path


def log_in(page: Any, url: str, login: str, password: str) -> None:
    page.goto(url + "login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url, page.content()[:500]
