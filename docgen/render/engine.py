"""Rendering a DocumentInput through its .docx template (docxtpl, autoescape on)."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from docgen.config import Settings
from docgen.docxtext import document_text
from docgen.errors import DocgenError, TemplateError
from docgen.fsio import sha256_bytes, write_bytes_atomic
from docgen.i18n import Msg
from docgen.model.document import DocumentInput
from docgen.model.meta import RenderedDocument
from docgen.render.layout import apply_page_setup
from docgen.render.package import fix_core_properties, normalize_zip

_TAG = re.compile(r"<[^>]+>")


def _finalize(value: Any) -> Any:
    """Never print "None"."""
    return "" if value is None else value


def make_environment() -> jinja2.Environment:
    """The Jinja environment every template renders in: autoescape, strict names."""
    return jinja2.Environment(autoescape=True, finalize=_finalize, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


@dataclass(frozen=True)
class LoadedTemplate:
    kind: str
    path: Path
    data: bytes
    sha256: str


def _surrounding_text(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()[max(lineno - 3, 0): lineno + 2]
    text = " ".join(_TAG.sub("", ln).strip() for ln in lines)
    return " ".join(text.split())[:200]


class _CompiledCache:
    """Compiled Jinja templates keyed by the XML they were compiled from."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.templates: dict[str, jinja2.Template] = {}
        self.last_source = ""

    def get(self, source: str) -> jinja2.Template:
        key = hashlib.sha1(source.encode("utf-8")).hexdigest()
        template = self.templates.get(key)
        self.last_source = source
        if template is None:
            template = self.env.from_string(source)
            self.templates[key] = template
        return template


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl with the compiled Jinja template cached across renders."""

    def __init__(self, data: bytes, cache: _CompiledCache) -> None:
        super().__init__(io.BytesIO(data))
        self._cache = cache

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        self.current_rendering_part = part
        dst_xml = self._cache.get(src_xml).render(context)
        dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
        dst_xml = (dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}"))
        result: str = self.resolve_listing(dst_xml)
        return result


class Renderer:
    """Renders documents; each template is read once per Renderer."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loaded: dict[str, LoadedTemplate] = {}
        self._caches: dict[str, _CompiledCache] = {}

    def template(self, kind: str) -> LoadedTemplate:
        """The kind's template (settings override or the shipped one), loaded once."""
        if kind not in self._loaded:
            path = self.settings.template_for(kind)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise TemplateError(
                    Msg(f"không đọc được mẫu văn bản {path}", f"cannot read the template {path}"),
                    file=str(path),
                    hint=Msg("kiểm tra đường dẫn mẫu trong docgen.toml ([templates]) hoặc xem \"docgen templates list\"",
                             "check the template path in docgen.toml ([templates]) or run \"docgen templates list\""),
                ) from exc
            self._loaded[kind] = LoadedTemplate(kind, path, data, sha256_bytes(data))
            self._caches[kind] = _CompiledCache(make_environment())
        return self._loaded[kind]

    def _fill(self, loaded: LoadedTemplate, context: dict[str, Any]) -> DocxTemplate:
        cache = self._caches[loaded.kind]
        try:
            tpl = _Template(loaded.data, cache)
            tpl.render(context, jinja_env=cache.env, autoescape=True)
        except jinja2.TemplateSyntaxError as exc:
            near = _surrounding_text(cache.last_source, exc.lineno)
            raise TemplateError(
                Msg(f"mẫu {loaded.path.name} có lỗi cú pháp Jinja: {exc.message} (gần: \"{near}\")",
                    f"template {loaded.path.name} has a Jinja syntax error: {exc.message} (near: \"{near}\")"),
                file=str(loaded.path),
                hint=Msg("sửa thẻ {{ }} / {% %} trong mẫu; chạy \"docgen templates check\"",
                         "fix the {{ }} / {% %} tags in the template; run \"docgen templates check\""),
            ) from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(
                Msg(f"mẫu {loaded.path.name} dùng giá trị không có: {exc.message}",
                    f"template {loaded.path.name} uses a missing value: {exc.message}"),
                file=str(loaded.path),
                hint=Msg("chỉ dùng các tên mà loại văn bản cung cấp (\"docgen templates check\")",
                         "use only names the kind provides (\"docgen templates check\")"),
            ) from exc
        except (KeyError, ValueError, OSError) as exc:
            raise TemplateError(
                Msg(f"mẫu {loaded.path.name} không phải tệp .docx hợp lệ: {exc}",
                    f"template {loaded.path.name} is not a valid .docx: {exc}"),
                file=str(loaded.path),
                hint=Msg("mở và lưu lại mẫu bằng Word/LibreOffice dạng .docx", "re-save the template as .docx"),
            ) from exc
        return tpl

    def render(self, doc: DocumentInput) -> RenderedDocument:
        """The filled, deterministic .docx of ``doc`` and its text."""
        loaded = self.template(doc.kind)
        tpl = self._fill(loaded, doc.context(self.settings))
        meta = doc.meta
        apply_page_setup(tpl.docx, self.settings.margins)
        fix_core_properties(tpl.docx, meta.date, meta.title, meta.kind, meta.cell)
        buffer = io.BytesIO()
        tpl.save(buffer)
        data = normalize_zip(buffer.getvalue(), meta.date)
        text = document_text(tpl.docx)
        return RenderedDocument(meta=meta, docx=data, input_data=doc.data, text=text,
                                template_sha256=loaded.sha256, warnings=doc.warnings)

    def render_to(self, doc: DocumentInput, out: Path) -> RenderedDocument:
        """Render and write ``out`` atomically; nothing is written when rendering fails."""
        rendered = self.render(doc)
        write_atomic(out, rendered.docx)
        return rendered


def write_atomic(out: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and os.replace."""
    try:
        write_bytes_atomic(out, data)
    except OSError as exc:
        raise DocgenError(
            Msg(f"không ghi được tệp {out}: {exc.strerror}", f"cannot write {out}: {exc.strerror}"),
            file=str(out),
            hint=Msg("kiểm tra thư mục đích và quyền ghi", "check the target folder and permissions"),
        ) from exc
