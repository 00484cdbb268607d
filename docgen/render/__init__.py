"""Rendering: docxtpl over the kind's template, autoescaped, deterministic bytes."""

from docgen.render.batch import BatchFailure, BatchItem, BatchReport, output_path, render_batch
from docgen.render.engine import LoadedTemplate, Renderer, make_environment, write_atomic

__all__ = [
    "BatchFailure",
    "BatchItem",
    "BatchReport",
    "LoadedTemplate",
    "Renderer",
    "make_environment",
    "output_path",
    "render_batch",
    "write_atomic",
]
