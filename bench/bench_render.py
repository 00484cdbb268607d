"""Render benchmark (issue 2): docgen against bare docxtpl, measured in one run.

(a) One document: docgen (load_input + Renderer.render + write) against a bare docxtpl
    load-render-save of the same template and context (DocumentInput.context()).
    Target: docgen at most 1.3x the bare time (medians).
(b) A batch of N inputs (default 500, generated in a temp folder by varying the example
    inputs) through docgen's batch path against bare docxtpl written as a user would
    (DocxTemplate(path) per document) and against bare docxtpl with one template load per
    batch. Target: docgen at least 80% of bare throughput.

Usage: .venv/bin/python bench/bench_render.py [--kind nghi-quyet] [--batch 500]
       [--repeat 25] [--profile]
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from docxtpl import DocxTemplate

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docgen.config import Settings, load_settings  # noqa: E402
from docgen.model import load_input, load_profile, parse_input  # noqa: E402
from docgen.render import Renderer, render_batch  # noqa: E402

EXAMPLES = REPO / "examples"


# --------------------------------------------------------------------------- inputs

def example_inputs() -> dict[str, Path]:
    """kind → example input file (examples/*.yaml except the profile)."""
    found: dict[str, Path] = {}
    for path in sorted(EXAMPLES.glob("*.y*ml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(data, dict) and isinstance(data.get("kind"), str):
            found.setdefault(data["kind"], path)
    return found


def settings_for(tmp: Path) -> Settings:
    return load_settings({"profile_path": EXAMPLES / "profile.yaml",
                          "archive_root": tmp / "archive"}, environ={}, cwd=tmp)


def _vary_strings(value: Any, suffix: str) -> Any:
    """Append ``suffix`` to free-text strings (not ids, times or dates) inside lists."""
    if isinstance(value, list):
        return [_vary_text(v, suffix) for v in value]
    return value


def _vary_text(value: Any, suffix: str) -> Any:
    if isinstance(value, str) and " " in value:
        return value + suffix
    if isinstance(value, dict):
        return {k: _vary_text(v, suffix) if k in ("content", "text", "heading") else v
                for k, v in value.items()}
    return value


def variant(data: dict[str, Any], index: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    suffix = f" (lần {index})"
    for key, value in data.items():
        if isinstance(value, list):
            out[key] = _vary_strings(value, suffix)
        elif isinstance(value, str) and key in ("conclusion", "purpose", "organisation", "content"):
            out[key] = value + suffix
    if data.get("number") is not None:
        out["number"] = index + 1
    return out


def _iso(value: Any) -> Any:
    """YAML dates as ISO strings, as docgen's reader hands them to parse_input."""
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def generate_batch(folder: Path, count: int, settings: Settings) -> list[tuple[Path, Any]]:
    """``count`` inputs made by varying every example input in turn, written as YAML, with
    their validated DocumentInput (parse_input raises if a variant were invalid)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [yaml.safe_load(p.read_text("utf-8")) for p in example_inputs().values()]
    profile = load_profile(settings.profile_path)
    batch: list[tuple[Path, Any]] = []
    for index in range(count):
        data = variant(sources[index % len(sources)], index)
        path = folder / f"input-{index:04d}.yaml"
        path.write_text(yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), "utf-8")
        batch.append((path, parse_input(_iso(data), settings, profile, str(path))))
    return batch


# --------------------------------------------------------------------------- the paths measured

def docgen_one(path: Path, settings: Settings, out: Path) -> None:
    doc = load_input(path, settings)
    Renderer(settings).render_to(doc, out)


def bare_one(template: Path, context: dict[str, Any], out: Path) -> None:
    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    tpl.save(str(out))


def docgen_batch(paths: list[Path], settings: Settings, out_dir: Path) -> None:
    report = render_batch(paths, out_dir, settings)
    if not report.ok:
        raise SystemExit(f"docgen batch failed: {report.failures[0].error.render('en')}")


def bare_batch_per_doc(jobs: list[tuple[Path, dict[str, Any]]], out_dir: Path) -> None:
    for i, (template, context) in enumerate(jobs):
        bare_one(template, context, out_dir / f"b{i:04d}.docx")


def bare_batch_one_load(jobs: list[tuple[Path, dict[str, Any]]], out_dir: Path) -> None:
    loaded: dict[Path, DocxTemplate] = {}
    for i, (template, context) in enumerate(jobs):
        tpl = loaded.get(template)
        if tpl is None:
            tpl = loaded[template] = DocxTemplate(str(template))
        tpl.render(context, autoescape=True)
        tpl.save(str(out_dir / f"o{i:04d}.docx"))


# --------------------------------------------------------------------------- timing

def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_ms(fn: Callable[[], None], repeat: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn) for _ in range(repeat)) * 1000


def interleaved_medians(fns: dict[str, Callable[[], None]], repeat: int) -> dict[str, float]:
    """Medians (ms) of each function, run in turn so machine noise hits all alike."""
    for fn in fns.values():
        for _ in range(3):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            samples[name].append(timed(fn))
    return {name: statistics.median(s) * 1000 for name, s in samples.items()}


def batch_seconds(paths: list[Path], jobs: list[tuple[Path, dict[str, Any]]], settings: Settings,
                  tmp: Path, chunks: int = 5) -> dict[str, float]:
    """Seconds each batch path takes for all inputs. The batch runs in ``chunks`` slices,
    the three paths in turn on each slice, so load changes on a shared machine hit all three
    alike; each path keeps its own state (docgen: one render_batch call per slice, i.e. one
    template load per kind per slice; bare one-load: one DocxTemplate per kind per slice)."""
    size = -(-len(paths) // chunks)
    totals = {"per-doc": 0.0, "one-load": 0.0, "docgen": 0.0}
    for start in range(0, len(paths), size):
        part_paths, part_jobs = paths[start:start + size], jobs[start:start + size]
        outs = {name: tmp / f"{name}-{start}" for name in totals}
        for folder in outs.values():
            folder.mkdir()
        totals["per-doc"] += timed(partial(bare_batch_per_doc, part_jobs, outs["per-doc"]))
        totals["one-load"] += timed(partial(bare_batch_one_load, part_jobs, outs["one-load"]))
        totals["docgen"] += timed(partial(docgen_batch, part_paths, settings, outs["docgen"]))
    return totals


@dataclass
class Figures:
    kind: str
    single_bare_ms: float
    single_docgen_ms: float
    batch: int
    bare_per_doc_dps: float
    bare_one_load_dps: float
    docgen_dps: float


def profile_top(fn: Callable[[], None], title: str, lines: int = 22) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(lines)
    print(f"\n=== cProfile: {title} (cumulative) ===")
    print("\n".join(stream.getvalue().splitlines()[4:]))


# --------------------------------------------------------------------------- main

def run(kind: str, batch: int, repeat: int, profile: bool) -> Figures:
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        settings = settings_for(tmp)
        inputs = example_inputs()
        if kind not in inputs:
            raise SystemExit(f"no example input of kind {kind} in {EXAMPLES}")
        source = inputs[kind]
        doc = load_input(source, settings)
        template = settings.template_for(kind)
        context = doc.context()
        single = interleaved_medians({
            "bare": lambda: bare_one(template, context, tmp / "bare.docx"),
            "docgen": lambda: docgen_one(source, settings, tmp / "docgen.docx"),
        }, repeat)

        generated = generate_batch(tmp / "inputs", batch, settings)
        paths = [path for path, _ in generated]
        jobs = [(settings.template_for(d.kind), d.context()) for _, d in generated]
        totals = batch_seconds(paths, jobs, settings, tmp)
        t_per_doc, t_one_load, t_docgen = totals["per-doc"], totals["one-load"], totals["docgen"]
        if profile:
            profile_top(lambda: docgen_one(source, settings, tmp / "p.docx"), "one document")
            (tmp / "profiled").mkdir()
            profile_top(lambda: docgen_batch(paths[:100], settings, tmp / "profiled"),
                        "docgen batch of 100")
        return Figures(kind, single["bare"], single["docgen"], batch,
                       batch / t_per_doc, batch / t_one_load, batch / t_docgen)


def breakdown(source: Path, settings: Settings, repeat: int) -> list[tuple[str, float]]:
    """Median ms of the steps docgen adds to a bare docxtpl render (one document)."""
    from docgen.docxtext import docx_text
    from docgen.model.files import parse_text, read_mapping
    from docgen.render.package import normalize_zip

    profile = load_profile(settings.profile_path)
    rendered = Renderer(settings).render(load_input(source, settings, profile))
    text = source.read_text("utf-8")
    profile_text = settings.profile_path.read_text("utf-8")
    data = read_mapping(source)
    c_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    steps: dict[str, Callable[[], object]] = {
        "read input (PyYAML pure-Python SafeLoader)": lambda: parse_text(text, str(source)),
        "  same text with yaml.CSafeLoader": lambda: yaml.load(text, Loader=c_loader),
        "read profile (load_profile)": lambda: load_profile(settings.profile_path),
        "  profile text with yaml.CSafeLoader": lambda: yaml.load(profile_text, Loader=c_loader),
        "validate + arithmetic (parse_input)": lambda: parse_input(data, settings, profile,
                                                                   str(source)),
        "normalize_zip (re-zip, fixed stamps)": lambda: normalize_zip(rendered.docx,
                                                                      rendered.meta.date),
        "docx_text (re-parse the output)": lambda: docx_text(rendered.docx),
    }
    return [(name, median_ms(fn, repeat, warmup=1)) for name, fn in steps.items()]


def summary(fig: Figures) -> Iterator[str]:
    ratio = fig.single_docgen_ms / fig.single_bare_ms
    pct_per_doc = 100 * fig.docgen_dps / fig.bare_per_doc_dps
    pct_one_load = 100 * fig.docgen_dps / fig.bare_one_load_dps
    ok_single = "OK" if ratio <= 1.3 else "MISSED"
    ok_batch = "OK" if pct_per_doc >= 80 else "MISSED"
    yield f"docgen render benchmark: kind {fig.kind}, batch of {fig.batch} (all example kinds)"
    yield ""
    yield f"{'measure':<44}{'value':>12}  note"
    yield "-" * 84
    yield f"{'one document, bare docxtpl (median)':<44}{fig.single_bare_ms:>9.1f} ms"
    yield f"{'one document, docgen (median)':<44}{fig.single_docgen_ms:>9.1f} ms"
    yield f"{'  ratio docgen / bare':<44}{ratio:>11.2f}x  target <= 1.30x: {ok_single}"
    yield f"{'batch, bare docxtpl, load per document':<44}{fig.bare_per_doc_dps:>7.1f} doc/s"
    yield f"{'batch, bare docxtpl, one load per batch':<44}{fig.bare_one_load_dps:>7.1f} doc/s"
    yield f"{'batch, docgen':<44}{fig.docgen_dps:>7.1f} doc/s"
    yield (f"{'  docgen / bare (load per document)':<44}{pct_per_doc:>11.0f}%  "
           f"target >= 80%: {ok_batch}")
    yield f"{'  docgen / bare (one load per batch)':<44}{pct_one_load:>11.0f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kind", default="nghi-quyet")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", action="store_true", help="print cProfile tables too")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = run(args.kind, args.batch, args.repeat, args.profile)
    print("\n".join(summary(figures)))
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        settings = settings_for(Path(tmp))
        print(f"\nwhere docgen's extra time goes (median ms, {args.kind} example):")
        for name, ms in breakdown(example_inputs()[args.kind], settings, args.repeat):
            print(f"  {name:<46}{ms:>8.1f} ms")
    print(f"\n(total run time {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
