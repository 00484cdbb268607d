"""Web benchmark: 20 simulated users on a 50,000-document archive through `docgen serve`.

    .venv/bin/python bench/bench_web.py                       # 50,000 documents, 20 users
    .venv/bin/python bench/bench_web.py --quick               # 2,000 documents, 5 users, < 1 min
    .venv/bin/python bench/bench_web.py --reuse /tmp/bw50k    # build once, measure many times

Builds (or reuses, --reuse DIR) an archive of --size documents with bench_search's
generator (articles of ../shared/corpus/vn-news-6k.jsonl.gz, read at run time) filed by
bench_search.file_into_archive, registers three cells whose names are among the generated
ones (examples/profile.yaml with the name replaced), creates the accounts (secretaries
spread over the cells, two committee staff, one admin) and runs `docgen reindex`. Then it
starts `docgen serve --host 127.0.0.1 --port 0` (loopback only) and lets --users users
(threads, each with its own keep-alive connection and session cookie, logged in through
the real login form) do --requests requests each, at most --seconds: search pages (a
query mix: accented, unaccented, abbreviations, a quoted phrase, filters, date order, a
second page), the pages of papers found by their own searches, the login page, and for
secretaries a few previews of a draft with the warm LibreOffice worker (the first preview
of the run, which starts LibreOffice, is reported apart). Every request's status and
latency is recorded; an error is any status other than 2xx/3xx, or an exception.

Baselines measured in the same run: the same search requests run in-process through
docgen.search (SearchIndex.search on the same index, the same filters and cell scopes),
single-threaded, before the server starts; the same searches over HTTP one at a time;
GET /login over HTTP one at a time. Prints p50/p95/max per class, the ratios, the targets
of issue 12 (search and paper pages p95 <= 300 ms, preview p95 <= 2 s, 0 errors) with
PASS/MISS, the server's memory (VmRSS, VmHWM; LibreOffice's processes apart) and whether
it stopped on SIGTERM with exit status 0 within 30 s. Asserts nothing; exits 1 on a setup
failure or when a request failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import bench_search  # noqa: E402

from docgen.accounts import Accounts  # noqa: E402
from docgen.archive.filters import DocFilter, kind_id  # noqa: E402
from docgen.cells import Cells, scope_of  # noqa: E402
from docgen.config import Settings, load_settings  # noqa: E402
from docgen.vn.dates import parse_user_date  # noqa: E402

EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"
PASSWORD = "mat-khau-bench-web"
# Cells registered: three of the generated villages (bench_search.VILLAGES).
CELLS = {"an-thanh": "An Thành", "binh-minh": "Bình Minh", "dong-hoa": "Đông Hòa"}
COMMITTEE = ("ubnd.1", "ubnd.2")
MARKER = "bench-web.json"  # in a --reuse folder: what was built there
TARGETS = {"search": 300.0, "paper": 300.0, "preview": 2000.0}
STOP_WAIT = 30.0
HTTP_TIMEOUT = 120.0
DOC_LINK = re.compile(r'href="/doc/([^"/?#]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def pct(values: list[float], p: float) -> float:
    return bench_search.pct(values, p) if values else float("nan")


# ------------------------------------------------------------------ the archive
def settings_for(root: Path) -> Settings:
    return load_settings({"config_path": CONFIG, "archive_root": root}, environ={})


def docgen_command() -> list[str]:
    script = Path(sys.executable).with_name("docgen")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "docgen"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DOCGEN_LANG", "DOCGEN_CONFIG", "DOCGEN_ARCHIVE", "DOCGEN_INDEX")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def profile_text(village: str) -> str:
    text = (EXAMPLES / "profile.yaml").read_text(encoding="utf-8")
    return text.replace("AN THÀNH", village.upper()).replace("An Thành", village)


def secretaries(count: int) -> dict[str, str]:
    """login → cell id, spread over the cells in turn."""
    ids = list(CELLS)
    return {f"bt.{i + 1:02d}": ids[i % len(ids)] for i in range(count)}


def build_archive(work: Path, size: int, users: int) -> dict[str, Any]:
    """File ``size`` documents, register the cells, create the accounts, reindex."""
    root = work / "archive"
    if root.exists():
        shutil.rmtree(root)
    t0 = time.perf_counter()
    articles = bench_search.load_corpus(bench_search.CORPUS)
    docs = list(bench_search.make_docs(articles, size))
    made = time.perf_counter() - t0
    print(f"generated {len(docs)} documents from {bench_search.CORPUS.name} in {made:.1f} s", flush=True)
    filed = bench_search.file_into_archive(root, docs)
    print(f"filed {len(docs)} documents into {root} in {filed:.1f} s "
          f"({len(docs) / filed:.0f} docs/s)", flush=True)
    counts = {cid: sum(1 for d in docs if d.meta.cell == f"CHI BỘ THÔN {v.upper()}")
              for cid, v in CELLS.items()}
    del docs, articles
    gc.collect()
    t1 = time.perf_counter()
    settings = settings_for(root)
    src = work / "profiles"
    src.mkdir(exist_ok=True)
    registry = Cells(settings)
    for cid, village in CELLS.items():
        path = src / f"{cid}.yaml"
        path.write_text(profile_text(village), encoding="utf-8")
        registry.add(cid, path)
    accounts = Accounts(root)
    accounts.add("admin", "admin", PASSWORD, actor="bench")
    n_committee = min(len(COMMITTEE), max(1, users // 10))
    for login in COMMITTEE[:n_committee]:
        accounts.add(login, "committee", PASSWORD, actor="bench")
    for login, cid in secretaries(users - n_committee).items():
        accounts.add(login, "secretary", PASSWORD, (cid,), actor="bench")
    setup = time.perf_counter() - t1
    t2 = time.perf_counter()
    subprocess.run([*docgen_command(), "--lang", "en", "--config", str(CONFIG), "--archive", str(root),
                    "reindex"], check=True, env=child_env(), stdout=subprocess.DEVNULL)
    reindex = time.perf_counter() - t2
    print(f"cells, accounts: {setup:.1f} s; docgen reindex: {reindex:.1f} s "
          f"({size / reindex:.0f} docs/s)", flush=True)
    info = {"size": size, "users": users, "committee": list(COMMITTEE[:n_committee]),
            "secretaries": secretaries(users - n_committee), "cell_docs": counts,
            "build_s": {"generate": made, "file": filed, "setup": setup, "reindex": reindex,
                        "total": time.perf_counter() - t0}}
    (work / MARKER).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return info


# -------------------------------------------------------------------- the mix
@dataclasses.dataclass(frozen=True)
class Account:
    login: str
    role: str  # "secretary" or "committee"
    cell: str | None  # a secretary's cell id


def query_mix(account: Account) -> list[tuple[str, dict[str, str]]]:
    """(label, URL parameters) of the search pages a user asks for."""
    cell = account.cell or "binh-minh"
    return [
        ("accented", {"q": "vệ sinh môi trường"}), ("accented", {"q": "giao thông"}),
        ("accented", {"q": "Đảng ủy"}), ("accented", {"q": "học sinh"}),
        ("unaccented", {"q": "ve sinh moi truong"}), ("unaccented", {"q": "nong thon moi"}),
        ("unaccented", {"q": "an ninh trat tu"}),
        ("abbrev", {"q": "VSMT"}), ("abbrev", {"q": "NTM"}), ("abbrev", {"q": "ATGT"}),
        ("phrase", {"q": '"an toàn giao thông"'}), ("phrase", {"q": '"bảo vệ môi trường"'}),
        ("filter", {"q": "giáo dục", "kind": "nghi-quyet"}),
        ("filter", {"q": "môi trường", "topic": "vsmt"}),
        ("filter", {"q": "công an", "year": "2022"}),
        ("filter", {"q": "điện", "cell": cell}),
        ("filter", {"q": "bão lũ", "from": "1/1/2022", "sort": "date"}),
        ("date-sorted", {"q": "nông thôn", "sort": "date"}),
        ("page-2", {"q": "trường", "page": "2"}),
    ]


@dataclasses.dataclass
class Step:
    what: str  # "search", "paper", "trivial", "preview"
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    label: str = ""


def schedule(account: Account, requests: int, previews: int, seed: int) -> list[Step]:
    """The user's requests in order: about half searches, a third papers found by them,
    a few login pages; a secretary's previews spread over the run."""
    rng = random.Random(seed)
    mix = query_mix(account)
    rng.shuffle(mix)
    steps: list[Step] = []
    searches = 0
    for i in range(requests):
        roll = rng.random()
        if i == 0 or searches == 0 or roll < 0.52:
            label, params = mix[searches % len(mix)]
            steps.append(Step("search", params, label))
            searches += 1
        elif roll < 0.92:
            steps.append(Step("paper"))
        else:
            steps.append(Step("trivial"))
    if account.role == "secretary" and previews:
        # the first early (a slow server must not push every preview past --seconds)
        for k in range(previews):
            at = 3 + k * len(steps) // previews
            steps.insert(min(at + k, len(steps)), Step("preview"))
    return steps


# --------------------------------------------------------------- HTTP client
@dataclasses.dataclass
class Sample:
    cls: str
    login: str
    status: int
    ms: float
    path: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 400


class Client:
    """One user's browser: a keep-alive connection and the session cookie."""

    def __init__(self, host: str, port: int, login: str, cell: str | None = None) -> None:
        self.host, self.port, self.login, self.cell = host, port, login, cell
        self.state: dict[str, Any] = {}  # a secretary's draft: its path, the csrf token
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]
              ) -> tuple[int, dict[str, str], bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=HTTP_TIMEOUT)
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        for value in resp.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel.value and morsel["expires"] != "Thu, 01 Jan 1970 00:00:00 GMT":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if resp.will_close:
            self.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data

    def request(self, cls: str, method: str, path: str, form: list[tuple[str, str]] | None = None
                ) -> tuple[Sample, dict[str, str], bytes]:
        headers = {"Accept": "text/html", "Accept-Language": "vi"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        t0 = time.perf_counter()
        try:
            try:
                status, got, data = self._send(method, path, body, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # an idle keep-alive connection closed by the server: once more
                t0 = time.perf_counter()
                status, got, data = self._send(method, path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            ms = (time.perf_counter() - t0) * 1000
            return Sample(cls, self.login, 0, ms, path, f"{type(exc).__name__}: {exc}"), {}, b""
        ms = (time.perf_counter() - t0) * 1000
        error = "" if 200 <= status < 400 else _error_text(data)
        return Sample(cls, self.login, status, ms, path, error), got, data


def _error_text(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', text, re.S) or re.search(r"<h1>(.*?)</h1>", text, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip()[:200] if found else text[:200]


def search_path(params: dict[str, str]) -> str:
    return "/search?" + urlencode(params)


def log_in(client: Client, samples: list[Sample]) -> None:
    """The login form as a browser fills it: GET /login, POST it, follow to the home page."""
    sample, _, page = client.request("login-form", "GET", "/login")
    samples.append(sample)
    found = CSRF.search(page.decode("utf-8", "replace"))
    if not found:
        raise SystemExit(f"setup: no csrf_token on /login for {client.login}: {page[:300]!r}")
    sample, headers, _ = client.request("login-post", "POST", "/login",
                                        [("csrf_token", found.group(1)), ("login", client.login),
                                         ("password", PASSWORD)])
    samples.append(sample)
    if sample.status != 302:
        raise SystemExit(f"setup: login of {client.login} answered {sample.status}: {sample.error}")
    location = headers.get("location", "/")
    location = re.sub(r"^https?://[^/]+", "", location) or "/"
    sample, _, _ = client.request("home", "GET", location)
    samples.append(sample)


# ------------------------------------------------------------------ previews
@dataclasses.dataclass
class PreviewPlan:
    """How a secretary previews a draft: ``run(client)`` → the timed samples."""

    how: str  # "web" or "in-process"
    note: str
    run: Callable[[Client], list[Sample]]


def preview_plan(settings: Settings) -> PreviewPlan:
    """Through the web routes when docgen/web/papers.py has them, else in-process."""
    from docgen.web import papers

    if all(hasattr(papers, name) for name in ("create", "save", "preview", "preview_page")):
        return web_preview()
    return in_process_preview(settings)


PREVIEW_KIND = "nghi-quyet"
PAGE_IMAGE = re.compile(r'src="(/draft/[^"]+/preview/page/\d+\.png\?key=[0-9a-f]+)"')


def web_preview() -> PreviewPlan:
    """A secretary's paper as in a browser: New paper (GET /new, POST /new: a draft of the
    cell's kind), the draft's form, then for each preview an autosave of the form
    (POST …/save: the example resolution, its vote subject changed each time so the
    .docx differs and no cached preview is reused), GET …/preview (render, LibreOffice,
    page images) and the first page's image."""
    import yaml

    from docgen.authoring.webform import form_pairs

    example = yaml.safe_load((EXAMPLES / f"{PREVIEW_KIND}.yaml").read_text(encoding="utf-8"))
    example.pop("number", None)

    def open_draft(client: Client, out: list[Sample]) -> bool:
        sample, _, page = client.request("new paper", "GET", f"/new?cell={client.cell}")
        out.append(sample)
        token = CSRF.search(page.decode("utf-8", "replace"))
        if not sample.ok or token is None:
            sample.error = sample.error or "no csrf_token on /new"
            return False
        sample, headers, _ = client.request("create draft", "POST", "/new", [
            ("csrf_token", token.group(1)), ("cell", client.cell or ""), ("kind", PREVIEW_KIND)])
        out.append(sample)
        where = re.sub(r"^https?://[^/]+", "", headers.get("location", ""))
        if sample.status != 303 or not where.startswith("/draft/"):
            sample.error = sample.error or f"POST /new answered {sample.status} to {where!r}"
            return False
        sample, _, page = client.request("draft form", "GET", where)
        out.append(sample)
        token = CSRF.search(page.decode("utf-8", "replace"))
        if not sample.ok or token is None:
            sample.error = sample.error or "no csrf_token on the draft's form"
            return False
        client.state.update(draft=where.split("?")[0], csrf=token.group(1), previews=0)
        return True

    def run(client: Client) -> list[Sample]:
        out: list[Sample] = []
        if "draft" not in client.state and not open_draft(client, out):
            return out
        draft, csrf = client.state["draft"], client.state["csrf"]
        client.state["previews"] += 1
        data = dict(example)
        data["vote"] = dict(example["vote"], subject=f"{example['vote']['subject']} ({client.login}, "
                            f"lần {client.state['previews']})")
        pairs = [("csrf_token", csrf), *form_pairs(PREVIEW_KIND, data)]
        sample, _, body = client.request("save draft", "POST", f"{draft}/save", pairs)
        out.append(sample)
        if sample.ok:
            answer = json.loads(body)
            if not answer.get("valid"):
                sample.error = "the saved form is not valid: " + "; ".join(
                    m.get("text", "") for m in answer.get("messages", []))[:300]
                return out
        sample, headers, page = client.request("preview", "GET", f"{draft}/preview")
        out.append(sample)
        if sample.status != 200:
            sample.error = sample.error or f"preview answered {sample.status} {headers.get('location', '')}"
            return out
        images = PAGE_IMAGE.findall(page.decode("utf-8", "replace").replace("&amp;", "&"))
        if not images:
            sample.error = "no page image on the preview"
            return out
        sample, _, png = client.request("preview image", "GET", images[0])
        out.append(sample)
        if sample.ok and not png.startswith(b"\x89PNG"):
            sample.error = "page 1 is not a PNG"
        return out

    return PreviewPlan("web", "GET /draft/<cell>/<id>/preview after an autosave of the form", run)


def in_process_preview(settings: Settings) -> PreviewPlan:
    """WarmConverter.preview of a rendered example .docx, in this process (one converter,
    one conversion at a time as in the server): the web preview route is not there."""
    from docgen.model import load_input, load_profile
    from docgen.printing.service import WarmConverter
    from docgen.render import Renderer

    profile = load_profile(settings.profile_path)
    doc = Renderer(settings).render(
        load_input(EXAMPLES / "nghi-quyet.yaml", settings, profile).with_number(1))
    converter = WarmConverter(settings)

    def run(client: Client) -> list[Sample]:
        t0 = time.perf_counter()
        try:
            shown = converter.preview(doc.docx)
            error = "" if shown.pages else "no pages"
        except Exception as exc:  # noqa: BLE001 - a benchmark records it as an error
            error = f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - t0) * 1000
        return [Sample("preview", client.login, 0 if error else 200, ms, "WarmConverter.preview", error)]

    plan = PreviewPlan("in-process", "docgen/web/papers.py has no preview route yet: previews are "
                       "WarmConverter.preview of the rendered example nghi-quyet in the benchmark's own "
                       "process (not over HTTP; LibreOffice's RSS is not the server's)", run)
    plan.converter = converter  # type: ignore[attr-defined]
    return plan


# ------------------------------------------------------------------- the server
@dataclasses.dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str
    host: str
    port: int
    log: Path
    started_s: float


def start_server(root: Path, work: Path, threads: int | None) -> Server:
    log = work / "server.log"
    argv = [*docgen_command(), "--config", str(CONFIG), "--archive", str(root), "serve",
            "--host", "127.0.0.1", "--port", "0"]
    if threads:
        argv += ["--threads", str(threads)]
    t0 = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env=child_env())
    deadline = time.monotonic() + 60
    url = None
    while time.monotonic() < deadline and url is None:
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", log.read_text("utf-8", "replace"))
        if found:
            url = found.group(1)
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.05)
    if url is None:
        proc.kill()
        raise SystemExit(f"setup: docgen serve did not start:\n{log.read_text('utf-8', 'replace')[-2000:]}")
    port = int(url.rsplit(":", 1)[1].strip("/"))
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.05)
    else:
        proc.kill()
        raise SystemExit("setup: /login did not answer within 60 s")
    return Server(proc, url, "127.0.0.1", port, log, time.perf_counter() - t0)


def _proc_status(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])  # kB
    except OSError:
        pass
    return out


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of every process below ``pid`` (/proc/*/stat's ppid)."""
    parent: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        parent[int(entry.name)] = int(fields[1])
        names[int(entry.name)] = name
    found, todo = [], [pid]
    while todo:
        here = todo.pop()
        for child, ppid in parent.items():
            if ppid == here:
                found.append((child, names[child]))
                todo.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and of its live descendants (LibreOffice)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in [pid, *(p for p, _ in descendants(pid))]:
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def memory_line(pid: int) -> tuple[str, int]:
    own = _proc_status(pid)
    kids = [(p, n, _proc_status(p).get("VmRSS", 0)) for p, n in descendants(pid)]
    office = sum(rss for _, _, rss in kids)
    shown = ", ".join(f"{n}[{p}] {rss / 1024:.0f} MB" for p, n, rss in kids) or "none"
    return (f"server VmRSS {own.get('VmRSS', 0) / 1024:.0f} MB, VmHWM {own.get('VmHWM', 0) / 1024:.0f} MB; "
            f"child processes (LibreOffice) RSS {office / 1024:.0f} MB: {shown}"), own.get("VmRSS", 0)


def stop_server(server: Server) -> tuple[int | None, float, list[tuple[int, str]]]:
    kids = descendants(server.proc.pid)
    t0 = time.perf_counter()
    server.proc.send_signal(signal.SIGTERM)
    try:
        code: int | None = server.proc.wait(STOP_WAIT)
    except subprocess.TimeoutExpired:
        code = None
        server.proc.kill()
        server.proc.wait()
    took = time.perf_counter() - t0
    time.sleep(0.2)
    left = [(p, n) for p, n in kids if Path(f"/proc/{p}").exists()
            and "(Z)" not in _state(p)]
    return code, took, left


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return f"({stat[stat.rindex(')') + 2:].split()[0]})"
    except OSError:
        return "(gone)"


# ------------------------------------------------------------------- the baselines
def library_filter(params: dict[str, str], settings: Settings, scope: tuple[str, ...] | None
                   ) -> tuple[str | None, DocFilter, str, int]:
    """The URL parameters as the web's parse_query and Reader turn them into a search."""
    cell = params.get("cell")
    if cell in CELLS:
        cell = f"CHI BỘ THÔN {CELLS[cell].upper()}"
    filt = DocFilter(kind=kind_id(params["kind"]) if "kind" in params else None, cell=cell,
                     topic=params.get("topic"),
                     date_from=parse_user_date(params["from"]) if "from" in params else None,
                     year=int(params["year"]) if "year" in params else None).using(settings)
    return (params.get("q") or None, filt.scoped(scope), params.get("sort", "relevance"),
            int(params.get("page", "1")))


def library_baseline(settings: Settings, planned: list[tuple[Account, dict[str, str]]]) -> dict[str, Any]:
    """Every planned search page's search through the library, one at a time."""
    from docgen.search import open_index

    registry = {e.id: e for e in Cells(settings).entries()}
    t0 = time.perf_counter()
    index = open_index(settings)
    index.search("khởi động")
    opened = (time.perf_counter() - t0) * 1000
    times = []
    for account, params in planned:
        scope = None if account.cell is None else scope_of([registry[account.cell]])
        q, filt, sort, page = library_filter(params, settings, scope)
        t = time.perf_counter()
        index.search(q, filt, sort=sort, limit=10, page=page)
        times.append((time.perf_counter() - t) * 1000)
    index.close()
    return {"times": times, "open_ms": opened}


# --------------------------------------------------------------------- the run
class User(threading.Thread):
    def __init__(self, client: Client, account: Account, steps: list[Step], deadline: float,
                 think: float, seed: int, preview: PreviewPlan | None, start: threading.Event) -> None:
        super().__init__(name=account.login, daemon=True)
        self.client, self.account, self.steps = client, account, steps
        self.deadline, self.think = deadline, think
        self.rng = random.Random(seed)
        self.preview = preview
        self.start_event = start
        self.samples: list[Sample] = []
        self.seen: list[str] = []
        self.skipped = 0

    def run(self) -> None:
        self.start_event.wait()
        for step in self.steps:
            if time.monotonic() >= self.deadline:
                self.skipped += 1
                continue
            self.do(step)
            if self.think:
                time.sleep(self.rng.uniform(0, 2 * self.think))

    def do(self, step: Step) -> None:
        if step.what == "search":
            sample, _, page = self.client.request("search", "GET", search_path(step.params))
            self.samples.append(sample)
            for doc_id in DOC_LINK.findall(page.decode("utf-8", "replace")):
                if doc_id not in self.seen:
                    self.seen.append(doc_id)
        elif step.what == "paper":
            if not self.seen:
                self.do(Step("search", {"q": "Đảng ủy"}))
                return
            doc_id = self.rng.choice(self.seen)
            sample, _, _ = self.client.request("paper", "GET", f"/doc/{doc_id}")
            self.samples.append(sample)
        elif step.what == "trivial":
            sample, _, _ = self.client.request("login page (loaded)", "GET", "/login")
            self.samples.append(sample)
        elif step.what == "preview" and self.preview is not None:
            self.samples.extend(self.preview.run(self.client))


def figures(values: list[float]) -> str:
    if not values:
        return "    -"
    return (f"n {len(values):4d}  p50 {pct(values, 50):8.1f}  p95 {pct(values, 95):8.1f}  "
            f"max {max(values):8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=50000, help="documents in the archive")
    parser.add_argument("--users", type=int, default=20, help="simulated users")
    parser.add_argument("--requests", type=int, default=40, help="requests per user (previews apart)")
    parser.add_argument("--previews", type=int, default=2, help="previews per secretary (the first "
                        "preview of the run, which starts LibreOffice, comes on top)")
    parser.add_argument("--seconds", type=float, default=120.0, help="cap on the timed part")
    parser.add_argument("--think", type=float, default=1.0, help="a user's mean pause between two "
                        "requests, seconds (uniform 0..2x; 0: back to back, a stress test)")
    parser.add_argument("--threads", type=int, default=None, help="docgen serve --threads (default: its own)")
    parser.add_argument("--reuse", type=Path, default=None, help="the archive's folder: built there once "
                        "(for this --size and --users), reused by the next runs and kept")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--quick", action="store_true", help="--size 2000 --users 5 --requests 10 "
                        "--previews 1 --think 0.2 --seconds 30")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    if args.quick:
        args.size, args.users, args.requests, args.previews = 2000, 5, 10, 1
        args.think, args.seconds = 0.2, 30.0
    if args.users < 2:
        parser.error("--users: at least 2 (one committee staff, one secretary)")
    if not bench_search.CORPUS.is_file():
        print(f"setup: no corpus at {bench_search.CORPUS}", file=sys.stderr)
        return 1
    began = time.perf_counter()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench-web-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, work, began)
    finally:
        if args.reuse is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif args.reuse is None:
            print(f"kept: {work}")


def run(args: argparse.Namespace, work: Path, began: float) -> int:
    print(f"bench_web: --size {args.size} --users {args.users} --requests {args.requests} "
          f"--previews {args.previews} --seconds {args.seconds:g} --think {args.think:g}; "
          f"{os.cpu_count()} CPUs shared by the server and the simulated users (load average "
          f"{os.getloadavg()[0]:.1f}); work folder {work}",
          flush=True)
    marker = work / MARKER
    info = json.loads(marker.read_text("utf-8")) if marker.is_file() else None
    if info is not None and (info["size"], info["users"]) == (args.size, args.users):
        b = info["build_s"]
        print(f"reusing the archive of {args.size} documents in {work} (built earlier in "
              f"{b['total']:.0f} s: filing {b['file']:.0f} s, reindex {b['reindex']:.0f} s)", flush=True)
        built_now = False
    else:
        info = build_archive(work, args.size, args.users)
        print(f"archive build: {info['build_s']['total']:.1f} s in all", flush=True)
        built_now = True
    root = work / "archive"
    settings = settings_for(root)
    accounts = [Account(login, "committee", None) for login in info["committee"]]
    accounts += [Account(login, "secretary", cid) for login, cid in info["secretaries"].items()]
    print("papers per registered cell: " + ", ".join(f"{c} {n}" for c, n in info["cell_docs"].items())
          + f"; users: {len(accounts) - len(info['committee'])} secretaries, {len(info['committee'])} committee",
          flush=True)
    plans = {a.login: schedule(a, args.requests, args.previews, args.seed + i) for i, a in enumerate(accounts)}
    planned = [(a, s.params) for a in accounts for s in plans[a.login] if s.what == "search"]

    lib = library_baseline(settings, planned)
    print(f"library baseline: {len(planned)} searches in-process, one at a time "
          f"(index opened and first query {lib['open_ms']:.0f} ms)", flush=True)
    gc.collect()

    server = start_server(root, work, args.threads)
    print(f"docgen serve at {server.url} (pid {server.proc.pid}), answering /login "
          f"{server.started_s:.1f} s after start", flush=True)
    errors: list[Sample] = []
    preview: PreviewPlan | None = None
    try:
        mem_start, rss_start = memory_line(server.proc.pid)
        # baseline: the trivial page, one request at a time
        probe = Client(server.host, server.port, "probe")
        trivial = [probe.request("login page", "GET", "/login")[0] for _ in range(40)]
        probe.close()
        # logins, all users at once (argon2: each verify costs tens of ms of CPU)
        clients = {a.login: Client(server.host, server.port, a.login, a.cell) for a in accounts}
        login_samples: list[Sample] = []
        lock = threading.Lock()

        def login_one(client: Client) -> None:
            mine: list[Sample] = []
            log_in(client, mine)
            with lock:
                login_samples.extend(mine)

        threads = [threading.Thread(target=login_one, args=(c,)) for c in clients.values()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(login_samples) != 3 * len(clients):
            raise SystemExit("setup: a login failed (see above)")
        # the first preview of the run (LibreOffice's first conversion): timed apart
        office_before = [n for _, n in descendants(server.proc.pid)]
        preview = preview_plan(settings)
        first_secretary = next(a for a in accounts if a.role == "secretary")
        first_preview = preview.run(clients[first_secretary.login])
        # the same searches over HTTP, one at a time (no load): the first few of each user
        sequential: list[Sample] = []
        seen_first: list[tuple[str, str]] = []  # (login, a paper found by its search)
        per_user = max(2, 60 // len(accounts))
        for account in accounts:
            for step in [s for s in plans[account.login] if s.what == "search"][:per_user]:
                sample, _, page = clients[account.login].request("search", "GET", search_path(step.params))
                sequential.append(sample)
                found = DOC_LINK.findall(page.decode("utf-8", "replace"))
                if found and len(seen_first) < len(sequential):
                    seen_first.append((account.login, found[0]))
        papers_alone = [clients[login].request("paper", "GET", f"/doc/{doc_id}")[0]
                        for login, doc_id in seen_first[:30]]
        print(f"warm-up done: {len(trivial)} login pages, {len(clients)} logins, first preview, "
              f"{len(sequential)} searches and {len(papers_alone)} paper pages one at a time", flush=True)

        start = threading.Event()
        users = [User(clients[a.login], a, plans[a.login], 0.0, args.think, args.seed * 100 + i,
                      preview if a.role == "secretary" else None, start) for i, a in enumerate(accounts)]
        for u in users:
            u.start()
        load_before = os.getloadavg()[0]
        cpu_before, own_before = cpu_seconds(server.proc.pid), time.process_time()
        t_load = time.monotonic()
        for u in users:
            u.deadline = t_load + args.seconds
        start.set()
        rss_seen: list[tuple[float, int]] = []
        sampling = threading.Event()

        def sample_rss() -> None:
            while not sampling.wait(1.0):
                rss_seen.append((time.monotonic() - t_load, _proc_status(server.proc.pid).get("VmRSS", 0)))

        sampler = threading.Thread(target=sample_rss, daemon=True)
        sampler.start()
        for u in users:
            u.join()
        load_s = time.monotonic() - t_load
        sampling.set()
        sampler.join()
        cpu_used, own_used = cpu_seconds(server.proc.pid) - cpu_before, time.process_time() - own_before
        load_after = os.getloadavg()[0]
        mem_end, rss_end = memory_line(server.proc.pid)
        for c in clients.values():
            c.close()
        samples = [s for u in users for s in u.samples]
        skipped = sum(u.skipped for u in users)
        every = trivial + login_samples + first_preview + sequential + papers_alone + samples
        errors = [s for s in every if not s.ok]

        # ------------------------------------------------------------ the report
        by: dict[str, list[float]] = {}
        for s in samples:
            by.setdefault(s.cls, []).append(s.ms)
        print()
        print(f"=== {args.size} documents, {len(users)} users, load phase {load_s:.1f} s: "
              f"{len(samples)} requests ({len(samples) / load_s:.1f}/s), {skipped} left undone at the "
              f"--seconds cap; errors {len(errors)} of {len(every)} requests in all")
        print(f"  server CPU (with LibreOffice) {cpu_used:.1f} s = {cpu_used / load_s * 100:.0f}% of one "
              f"core, {cpu_used / max(1, len(samples)) * 1000:.0f} ms a request; the simulated users "
              f"{own_used:.1f} s; load average {load_before:.1f} before, {load_after:.1f} after "
              f"(other work on the machine counts too)")
        print("under load (ms):")
        for cls in ("search", "paper", "preview", "preview image", "save draft", "new paper", "create draft",
                    "draft form", "login page (loaded)"):
            if cls in by or cls in TARGETS:
                print(f"  {cls:22s} {figures(by.get(cls, []))}")
        print("before the load, one request at a time (ms):")
        print(f"  {'library search':22s} {figures(lib['times'])}   (in-process SearchIndex.search, "
              f"same {len(planned)} searches and scopes)")
        print(f"  {'web search':22s} {figures([s.ms for s in sequential])}   (first {per_user} searches of each user)")
        print(f"  {'paper page':22s} {figures([s.ms for s in papers_alone])}   (one found by each user's first search)")
        print(f"  {'login page':22s} {figures([s.ms for s in trivial])}")
        first = [s.ms for s in first_preview if s.cls == "preview"]
        office = ("LibreOffice already started by docgen serve's warm-up: " + ", ".join(office_before)
                  if office_before else "starts LibreOffice")
        print(f"  {'first preview':22s} {figures(first)}   ({office}; {preview.how})")
        others = [f"{s.cls} {s.ms:.0f} ms" for s in first_preview if s.cls != "preview"]
        if others:
            print(f"    its other requests: {', '.join(others)}")
        lp = {c: [s.ms for s in login_samples if s.cls == c] for c in ("login-form", "login-post", "home")}
        print(f"  logins, all users at once: form {figures(lp['login-form'])}")
        print(f"                             post {figures(lp['login-post'])}")
        print(f"                             home {figures(lp['home'])}")
        if preview.how != "web":
            print(f"  NOTE: {preview.note}")
        print("ratios (p95 / p95):")
        lib95, triv95, seq95 = pct(lib["times"], 95), pct([s.ms for s in trivial], 95), pct([s.ms for s in sequential], 95)
        web95 = pct(by.get("search", []), 95)
        paper95 = pct(by.get("paper", []), 95)
        alone95 = pct([s.ms for s in papers_alone], 95)
        loaded95 = pct(by.get("login page (loaded)", []), 95)
        print(f"  web search under load / library search      {web95 / lib95:7.1f}x")
        print(f"  web search one at a time / library search   {seq95 / lib95:7.1f}x")
        print(f"  web search under load / one at a time       {web95 / seq95:7.1f}x")
        print(f"  paper page one at a time / login page alone {alone95 / triv95:7.1f}x")
        print(f"  paper page under load / one at a time       {paper95 / alone95:7.1f}x")
        print(f"  paper page under load / login page alone    {paper95 / triv95:7.1f}x")
        print(f"  paper page under load / login page loaded   {paper95 / loaded95:7.1f}x")
        print(f"  login page under load / login page alone    {loaded95 / triv95:7.1f}x")
        print("targets (issue 12):")
        for cls, limit in TARGETS.items():
            values = by.get(cls, [])
            got = pct(values, 95)
            verdict = "PASS" if values and got <= limit else "MISS"
            extra = f" ({preview.how})" if cls == "preview" else ""
            print(f"  {cls:8s} p95 {got:8.1f} ms <= {limit:6.0f} ms  {verdict}{extra}")
        print(f"  errors   {len(errors)} == 0  {'PASS' if not errors else 'MISS'}")
        for s in errors[:10]:
            print(f"    {s.login} {s.cls} {s.path} -> {s.status} {s.error}")
        print(f"memory at start (after startup):  {mem_start}")
        print(f"memory at the end:                {mem_end}")
        if rss_start:
            print(f"  server RSS end / start {rss_end / rss_start:.2f}x")
        if rss_seen:
            marks = [rss_seen[min(len(rss_seen) - 1, int(f * len(rss_seen)))] for f in (0, 0.25, 0.5, 0.75, 1)]
            print("  server RSS during the load (s: MB): "
                  + ", ".join(f"{at:.0f}: {kb / 1024:.0f}" for at, kb in marks))
    finally:
        code, took, left = stop_server(server)
        converter = getattr(preview, "converter", None)
        if converter is not None:
            converter.close()
    ok_stop = code == 0 and took <= STOP_WAIT and not left
    print(f"SIGTERM: exit status {code} after {took:.1f} s; processes left: "
          f"{', '.join(f'{n}[{p}]' for p, n in left) or 'none'}  {'PASS' if ok_stop else 'MISS'}")
    tail = server.log.read_text("utf-8", "replace").strip().splitlines()
    if errors or not ok_stop:
        print("server log (last lines):\n  " + "\n  ".join(tail[-15:]))
    total = time.perf_counter() - began
    print(f"total {total:.0f} s" + (f" (archive build {info['build_s']['total']:.0f} s)" if built_now else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
