"""Archive benchmarks (prints numbers; not a timed test).

1. A batch of N documents (default 500): filing through docgen's `new` path
   (docgen.app.new_documents) vs load + render alone. Target: ratio ≤ 1.2.
2. An archive of M documents (default 10,000), made by filing copies of a few rendered
   .docx files through the Archive API: `verify` (target < 30 s) and a filtered `list`
   from a fresh Archive object (target < 1 s).

usage: .venv/bin/python bench/bench_archive.py [--batch 500] [--big 10000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docgen import app  # noqa: E402
from docgen.archive import Archive  # noqa: E402
from docgen.config import Settings, load_settings  # noqa: E402
from docgen.model import load_input, load_profile  # noqa: E402
from docgen.model.meta import DocMeta, RenderedDocument  # noqa: E402
from docgen.render import Renderer  # noqa: E402

EXAMPLE = REPO / "examples" / "nghi-quyet.yaml"
CONFIG = REPO / "examples" / "docgen.toml"


def write_inputs(folder: Path, count: int) -> list[Path]:
    base = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    paths = []
    for i in range(count):
        data = dict(base, number=None, date=dt.date(2026, 1 + i % 8, 1 + i % 28))
        data.update(month=data["date"].month, year=2026)
        path = folder / f"in-{i:04d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        paths.append(path)
    return paths


def render_alone(settings: Settings, paths: list[Path], first: int) -> None:
    profile = load_profile(settings.profile_path)
    renderer = Renderer(settings)
    for i, path in enumerate(paths, start=first):
        renderer.render(load_input(path, settings, profile).with_number(i))


def bench_batch(work: Path, count: int, chunk: int = 50) -> None:
    """Alternate chunks of render-alone and `docgen new` so both see the same machine load."""
    settings = load_settings({"config_path": CONFIG, "archive_root": work / "batch-archive"},
                             environ={})
    paths = write_inputs(work, count)
    render_s = file_s = 0.0
    for offset in range(0, count, chunk):
        part = paths[offset:offset + chunk]
        start = time.perf_counter()
        render_alone(settings, part, offset + 1)
        render_s += time.perf_counter() - start
        start = time.perf_counter()
        report = app.new_documents(settings, part)
        file_s += time.perf_counter() - start
        assert report.ok and len(report.filed) == len(part), report.failed[:3]
    print(f"batch of {count}: load+render alone {render_s:.2f} s, docgen new (load, number, "
          f"render, file) {file_s:.2f} s, ratio {file_s / render_s:.2f} (target <= 1.20)")


@dataclasses.dataclass(frozen=True)
class Copy:
    meta: DocMeta

    def with_number(self, number: int) -> Copy:
        return Copy(dataclasses.replace(self.meta, number=number))


def samples(settings: Settings, work: Path) -> list[RenderedDocument]:
    profile = load_profile(settings.profile_path)
    renderer = Renderer(settings)
    return [renderer.render(load_input(p, settings, profile).with_number(1))
            for p in write_inputs(work, 4)]


def bench_big(work: Path, count: int) -> None:
    settings = load_settings({"config_path": CONFIG}, environ={})
    rendered = samples(settings, work)
    topics = ("vsmt", "ntm", "antt", "atgt", "cds")

    def render(doc: Any) -> RenderedDocument:
        sample = rendered[doc.meta.date.toordinal() % len(rendered)]
        return dataclasses.replace(sample, meta=doc.meta)

    archive = Archive(work / "big-archive")
    base = rendered[0].meta
    start = time.perf_counter()
    with archive.batch() as batch:
        for i in range(count):
            day = dt.date(2016, 1, 1) + dt.timedelta(days=(i * 7) % 3650)
            meta = dataclasses.replace(base, number=None, date=day, topics=(topics[i % 5],),
                                       term_start=dt.date(2016 + (day.year - 2016) // 5 * 5,
                                                          1, 1))
            batch.file(Copy(meta), render, "bench")
    archive.close()
    print(f"filed {count} copies in {time.perf_counter() - start:.1f} s (setup)")
    fresh = Archive(work / "big-archive")
    start = time.perf_counter()
    report = fresh.verify()
    verify_s = time.perf_counter() - start
    assert report.ok and report.checked == count, report.problems[:3]
    print(f"verify over {count}: {verify_s:.2f} s (target < 30 s)")
    fresh = Archive(work / "big-archive")
    start = time.perf_counter()
    found = fresh.list(topic="ntm", date_from=dt.date(2020, 1, 1), date_to=dt.date(2022, 12, 31))
    list_s = time.perf_counter() - start
    print(f"filtered list over {count}: {list_s:.3f} s, {len(found)} hits (target < 1 s)")
    fresh.close()
    for path in (work / "big-archive" / ".docgen").glob("catalog.sqlite*"):
        path.unlink()
    start = time.perf_counter()
    cold = Archive(work / "big-archive").list(topic="ntm", date_from=dt.date(2020, 1, 1),
                                                date_to=dt.date(2022, 12, 31))
    print(f"same list with the catalog deleted (rebuilt from {count} meta.json): "
          f"{time.perf_counter() - start:.2f} s, {len(cold)} hits")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        (work / "batch").mkdir()
        (work / "big").mkdir()
        if args.batch:
            bench_batch(work / "batch", args.batch)
        if args.big:
            bench_big(work / "big", args.big)


if __name__ == "__main__":
    main()
