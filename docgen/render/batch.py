"""Rendering many inputs: continue past bad ones, report every failure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.i18n import Msg
from docgen.model.document import load_input
from docgen.model.profile import Profile, load_profile
from docgen.render.engine import Renderer

Progress = Callable[[Sequence[Path]], Iterable[Path]]


@dataclass(frozen=True)
class BatchItem:
    source: Path
    output: Path
    warnings: tuple[Msg, ...] = ()


@dataclass(frozen=True)
class BatchFailure:
    source: Path
    error: DocgenError


@dataclass
class BatchReport:
    done: list[BatchItem] = field(default_factory=list)
    failures: list[BatchFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def total(self) -> int:
        return len(self.done) + len(self.failures)


def output_path(source: Path, out_dir: Path) -> Path:
    return out_dir / f"{source.stem}.docx"


def _duplicate_output(source: Path, output: Path) -> DocgenError:
    return DocgenError(
        Msg(f"hai tệp đầu vào cùng ghi ra {output.name}", f"two inputs would both write {output.name}"),
        file=str(source),
        hint=Msg("đổi tên một trong hai tệp đầu vào", "rename one of the inputs"),
    )


def render_batch(paths: Sequence[Path], out_dir: Path, settings: Settings, progress: Progress | None = None,
                 profile: Profile | None = None) -> BatchReport:
    """Render every input into ``out_dir`` (one template load per kind); never stops early.

    ``progress`` wraps the sequence of inputs (e.g. a progress bar); the profile is read
    once (a bad profile raises, since no input could be rendered with it).
    """
    profile = profile or load_profile(settings.profile_path)
    renderer = Renderer(settings)
    report = BatchReport()
    claimed: set[Path] = set()
    for source in (progress(paths) if progress else paths):
        output = output_path(source, out_dir)
        if output in claimed:
            report.failures.append(BatchFailure(source, _duplicate_output(source, output)))
            continue
        claimed.add(output)
        try:
            doc = load_input(source, settings, profile)
            renderer.render_to(doc, output)
        except DocgenError as exc:
            report.failures.append(BatchFailure(source, exc))
            continue
        report.done.append(BatchItem(source, output, doc.warnings))
    return report
