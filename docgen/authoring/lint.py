"""Lint a user-edited .docx template before it is used (``docgen templates check``).

Finds what docxtpl would otherwise turn into a crash or, worse, a silently wrong
document: Jinja syntax errors (shown with the paragraph text around them, not raw XML),
tags split across paragraphs (docxtpl merges the paragraphs), ``{%tr %}`` / ``{%p %}``
misuse, variables the document kind does not provide and required fields the template
never shows. Returns a report; the caller chooses the exit status.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import meta

from docgen.errors import TemplateError
from docgen.i18n import Msg

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOKEN = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_SPECIAL = re.compile(r"(\{%|\{\{|\{#)(tr|tc|p|r) ")
_SPACED_SPECIAL = re.compile(r"\{%-?\s+(tr|tc|p|r)\s+(for|endfor|if|endif|else|elif)\b")
_TAG = re.compile(r"<[^>]+>")
_CONTEXT_CHARS = 160

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class LintProblem:
    """One finding: a code, a bilingual message, the part and the text around it."""

    code: str  # syntax | split-tag | tr-misuse | p-misuse | tc-misuse | unknown-variable
    #            | missing-required | empty-paragraph
    message: Msg
    part: str  # "word/document.xml", "word/header1.xml", …
    context: str = ""
    severity: str = ERROR


@dataclass(frozen=True)
class LintReport:
    path: Path
    kind: str | None
    problems: tuple[LintProblem, ...] = ()
    variables: frozenset[str] = field(default_factory=frozenset)

    @property
    def errors(self) -> tuple[LintProblem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> tuple[LintProblem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Part:
    name: str
    root: Any  # lxml element: w:body or w:hdr / w:ftr


@dataclass(frozen=True)
class _Para:
    text: str
    element: Any

    def ancestor(self, tag: str) -> Any:
        node = self.element.getparent()
        while node is not None and node.tag != W + tag:
            node = node.getparent()
        return node


# --------------------------------------------------------------------------- loading

def _load_template(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise TemplateError(
            Msg(f"không tìm thấy mẫu {path}", f"template {path} not found"),
            file=str(path),
            hint=Msg("kiểm tra đường dẫn tệp .docx", "check the .docx path"),
        )
    tpl = DocxTemplate(str(path))
    try:
        tpl.init_docx()
    except (OpcError, BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        raise TemplateError(
            Msg(f"không mở được mẫu (không phải tệp .docx hợp lệ): {exc}",
                f"cannot open the template (not a valid .docx file): {exc}"),
            file=str(path),
            hint=Msg("mở và lưu lại tệp bằng Word hoặc LibreOffice dưới dạng .docx",
                     "open and save the file again as .docx in Word or LibreOffice"),
        ) from exc
    return tpl


def _parts(tpl: DocxTemplate) -> list[_Part]:
    docx = tpl.get_docx()
    parts = [_Part("word/document.xml", docx.element.body)]
    for rel in docx.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        blob = rel.target_part.blob
        if blob:
            parts.append(_Part(str(rel.target_part.partname).lstrip("/"), parse_xml(blob)))
    return parts


def _paragraphs(part: _Part) -> list[_Para]:
    out = []
    for p in part.root.iter(W + "p"):
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        out.append(_Para(text, p))
    return out


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CONTEXT_CHARS else text[: _CONTEXT_CHARS - 1] + "…"


# --------------------------------------------------------------------------- paragraph checks

def _unclosed_opener(text: str) -> str | None:
    """The last tag opener of ``text`` that is not closed in the same text, if any."""
    pending: str | None = None
    for token in _TOKEN.findall(text):
        if token in _OPENERS:
            pending = token
        elif pending is not None and _OPENERS[pending] == token:
            pending = None
    return pending


def _split_tags(part: _Part, paras: list[_Para]) -> Iterator[LintProblem]:
    for index, para in enumerate(paras):
        opener = _unclosed_opener(para.text)
        if opener is None:
            continue
        following = paras[index + 1].text if index + 1 < len(paras) else ""
        yield LintProblem(
            "split-tag",
            Msg(f"thẻ {opener} … {_OPENERS[opener]} mở ở một đoạn và đóng ở đoạn khác "
                "(docxtpl sẽ gộp hai đoạn): viết cả thẻ trên cùng một đoạn",
                f"tag {opener} … {_OPENERS[opener]} opens in one paragraph and closes in "
                "another (docxtpl would merge the paragraphs): keep the whole tag in one paragraph"),
            part.name,
            _clip(para.text) + " ¶ " + _clip(following),
        )


def _special_tags(text: str, kind: str) -> list[str]:
    return [m.group(0) for m in _SPECIAL.finditer(text) if m.group(2) == kind]


def _text_without_tags(text: str) -> str:
    return re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "", text, flags=re.DOTALL).strip()


def _p_misuse(part: _Part, para: _Para) -> Iterator[LintProblem]:
    tags = _special_tags(para.text, "p")
    if len(tags) > 1:
        yield LintProblem(
            "p-misuse",
            Msg("hai thẻ {%p %} trong cùng một đoạn: docxtpl thay cả đoạn bằng thẻ đầu tiên, "
                "thẻ sau bị mất; đặt mỗi thẻ {%p %} trên một đoạn riêng",
                "two {%p %} tags in one paragraph: docxtpl replaces the whole paragraph with the "
                "first one and the second is lost; put each {%p %} tag in its own paragraph"),
            part.name, _clip(para.text))
    elif tags and _text_without_tags(para.text):
        yield LintProblem(
            "p-misuse",
            Msg("đoạn chứa thẻ {%p %} còn chữ khác: chữ đó sẽ bị xóa khi tạo văn bản; "
                "để thẻ {%p %} một mình trên đoạn",
                "a paragraph with a {%p %} tag holds other text, which would be dropped; "
                "leave the {%p %} tag alone in its paragraph"),
            part.name, _clip(para.text))


def _tr_misuse(part: _Part, paras: list[_Para]) -> Iterator[LintProblem]:
    rows: dict[int, list[_Para]] = {}
    row_elements: dict[int, Any] = {}
    for para in paras:
        for kind in ("tr", "tc"):
            if _special_tags(para.text, kind) and para.ancestor(kind) is None:
                yield LintProblem(
                    f"{kind}-misuse",
                    Msg(f"thẻ {{%{kind} %}} nằm ngoài bảng: chỉ dùng trong một "
                        f"{'hàng' if kind == 'tr' else 'ô'} của bảng",
                        f"a {{%{kind} %}} tag outside a table: use it only inside a table "
                        f"{'row' if kind == 'tr' else 'cell'}"),
                    part.name, _clip(para.text))
        row = para.ancestor("tr")
        if row is not None and _special_tags(para.text, "tr"):
            rows.setdefault(id(row), []).append(para)
            row_elements[id(row)] = row
    for key, tagged in rows.items():
        yield from _row_problems(part, tagged, row_elements[key])


def _row_problems(part: _Part, tagged: list[_Para], row: Any) -> Iterator[LintProblem]:
    tags = [t for para in tagged for t in _special_tags(para.text, "tr")]
    row_text = " | ".join(
        "".join(t.text or "" for t in tc.iter(W + "t")) for tc in row.iter(W + "tc"))
    if len(tags) > 1:
        yield LintProblem(
            "tr-misuse",
            Msg("vòng lặp {%tr %} mở và đóng trong cùng một hàng: đặt {%tr for … %} ở một hàng "
                "riêng phía trên và {%tr endfor %} ở một hàng riêng phía dưới hàng lặp",
                "a {%tr %} loop opens and closes in the same row: put {%tr for … %} in a row of "
                "its own above the repeated row and {%tr endfor %} in a row of its own below it"),
            part.name, _clip(row_text))
    elif _text_without_tags(row_text.replace("|", "")):
        yield LintProblem(
            "tr-misuse",
            Msg("hàng chứa thẻ {%tr %} còn chữ khác: cả hàng bị thay bằng thẻ nên chữ đó sẽ mất",
                "a row with a {%tr %} tag holds other text, which would be dropped "
                "(the whole row is replaced by the tag)"),
            part.name, _clip(row_text))


def _only_plain_block_tags(text: str) -> bool:
    """True for a paragraph holding nothing but ``{% … %}`` tags (no {%p %}, no output)."""
    return ("{%" in text and "{{" not in text and not _SPECIAL.search(text)
            and not _text_without_tags(text))


def _spacing_and_empty(part: _Part, para: _Para) -> Iterator[LintProblem]:
    spaced = _SPACED_SPECIAL.search(para.text)
    if spaced:
        kind = spaced.group(1)
        yield LintProblem(
            f"{'tr' if kind in ('tr', 'tc') else 'p'}-misuse",
            Msg(f"viết '{{%{kind} …' liền nhau, không có dấu cách giữa '{{%' và '{kind}'",
                f"write '{{%{kind} …' with no space between '{{%' and '{kind}'"),
            part.name, _clip(para.text))
    elif _only_plain_block_tags(para.text) and para.ancestor("tr") is None:
        yield LintProblem(
            "empty-paragraph",
            Msg("thẻ {% … %} đứng một mình trên đoạn sẽ để lại một đoạn trống; "
                "dùng {%p … %} thay cho {% … %}",
                "a {% … %} tag alone in a paragraph leaves an empty paragraph; "
                "use {%p … %} instead of {% … %}"),
            part.name, _clip(para.text), WARNING)


def _paragraph_problems(part: _Part) -> Iterator[LintProblem]:
    paras = _paragraphs(part)
    yield from _split_tags(part, paras)
    for para in paras:
        yield from _p_misuse(part, para)
        yield from _spacing_and_empty(part, para)
    yield from _tr_misuse(part, paras)


# --------------------------------------------------------------------------- Jinja checks

def jinja_source(tpl: DocxTemplate, part: _Part) -> str:
    """The Jinja source docxtpl builds from a part (one line per paragraph, as it renders)."""
    xml = tpl.patch_xml(tpl.xml_to_string(part.root))
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _line_text(line: str) -> str:
    return html.unescape(_TAG.sub("", line)).strip()


def _syntax_context(source: str, lineno: int) -> str:
    lines = source.splitlines()
    start = max(lineno - 3, 0)
    shown = []
    for number in range(start, min(lineno + 2, len(lines))):
        text = _clip(_line_text(lines[number]))
        if not text and number != lineno - 1:
            continue
        shown.append(("» " if number == lineno - 1 else "  ") + text)
    return "\n".join(shown)


def _parse_part(env: jinja2.Environment, source: str, part: _Part) -> tuple[Any, LintProblem | None]:
    try:
        ast = env.parse(source)
        env.from_string(source)  # compile too: unknown filters and tests
    except jinja2.TemplateSyntaxError as exc:
        lineno = exc.lineno or 1
        return None, LintProblem(
            "syntax",
            Msg(f"lỗi cú pháp Jinja: {exc.message}", f"Jinja syntax error: {exc.message}"),
            part.name, _syntax_context(source, lineno))
    return ast, None


def _variable_problems(used: set[str], context_keys: frozenset[str] | None,
                       required_keys: frozenset[str], kind: str | None) -> Iterator[LintProblem]:
    label = kind or "?"
    if context_keys is not None:
        for name in sorted(used - context_keys):
            yield LintProblem(
                "unknown-variable",
                Msg(f"mẫu dùng biến '{name}' mà loại văn bản {label} không cung cấp "
                    "(sai chính tả? xem 'docgen schema' để biết các trường)",
                    f"the template uses '{name}', which kind {label} does not provide "
                    "(a typo? see 'docgen schema' for the fields)"),
                "*", name)
    for name in sorted(required_keys - used):
        yield LintProblem(
            "missing-required",
            Msg(f"mẫu không hiển thị trường bắt buộc '{name}' của loại văn bản {label}",
                f"the template never shows '{name}', a required field of kind {label}"),
            "*", name)


def lint_docx(
    path: Path,
    *,
    kind: str | None = None,
    context_keys: frozenset[str] | None = None,
    required_keys: frozenset[str] = frozenset(),
    env: jinja2.Environment | None = None,
) -> LintReport:
    """Lint ``path`` against the variables a kind provides and requires."""
    tpl = _load_template(path)
    env = env or jinja2.Environment()
    problems: list[LintProblem] = []
    used: set[str] = set()
    for part in _parts(tpl):
        problems.extend(_paragraph_problems(part))
        ast, syntax = _parse_part(env, jinja_source(tpl, part), part)
        if syntax is not None:
            problems.append(syntax)
        else:
            used |= meta.find_undeclared_variables(ast)
    used -= set(env.globals)
    if any(p.code == "syntax" for p in problems):
        required_keys = frozenset()  # the broken part's variables are unknown
    problems.extend(_variable_problems(used, context_keys, required_keys, kind))
    return LintReport(path, kind, tuple(problems), frozenset(used))


def report_lines(report: LintReport, lang: str = "vi") -> list[str]:
    """The report as text lines in ``lang`` (the CLI prints them)."""
    en = lang == "en"
    head = f"{'Template' if en else 'Mẫu'}: {report.path}"
    if report.kind:
        head += f" ({'kind' if en else 'loại'} {report.kind})"
    lines = [head]
    for problem in report.problems:
        tag = ("error" if en else "lỗi") if problem.severity == ERROR else \
              ("warning" if en else "cảnh báo")
        where = "" if problem.part == "*" else f" [{problem.part}]"
        lines.append(f"- {tag}{where}: {problem.message.text(lang)}")
        if problem.context and problem.code not in ("unknown-variable", "missing-required"):
            lines.extend("    " + line for line in problem.context.splitlines())
    errors, warnings = len(report.errors), len(report.warnings)
    if en:
        lines.append(f"{errors} error(s), {warnings} warning(s)" if report.problems else "OK: no problems")
    else:
        lines.append(f"{errors} lỗi, {warnings} cảnh báo" if report.problems else "Tốt: không có lỗi")
    return lines


def report_json(report: LintReport, lang: str = "vi") -> dict[str, Any]:
    return {
        "path": str(report.path), "kind": report.kind, "ok": report.ok,
        "problems": [
            {"code": p.code, "severity": p.severity, "part": p.part,
             "message": p.message.text(lang), "context": p.context}
            for p in report.problems
        ],
    }


def kind_from_filename(path: Path, kinds: Iterable[str]) -> str | None:
    """The kind a template file is named after: "nghi-quyet.docx", "nghi-quyet-moi.docx"."""
    stem = path.stem.lower()
    matches = [k for k in kinds if stem == k or stem.startswith(k + "-") or stem.startswith(k + "_")]
    return max(matches, key=len) if matches else None


def _unknown_kind(kind: str | None, path: Path, kinds: Iterable[str]) -> TemplateError:
    names = ", ".join(sorted(kinds))
    what = (Msg(f"không có loại văn bản '{kind}'", f"no document kind '{kind}'") if kind else
            Msg(f"không đoán được loại văn bản từ tên tệp {path.name}",
                f"cannot tell the document kind from the file name {path.name}"))
    return TemplateError(what, file=str(path), field="kind",
                         hint=Msg(f"chỉ rõ bằng --kind, một trong: {names}",
                                  f"give it with --kind, one of: {names}"))


def lint_template(path: Path, kind: str | None = None) -> LintReport:
    """Lint a template for a document kind (default: the kind its file name names)."""
    from docgen.model import KINDS

    kind = kind or kind_from_filename(path, KINDS)
    if kind is None or kind not in KINDS:
        raise _unknown_kind(kind, path, KINDS)
    spec = KINDS[kind]
    return lint_docx(path, kind=kind, context_keys=frozenset(spec.context_keys),
                     required_keys=frozenset(spec.required_keys), env=_renderer_env())


def _renderer_env() -> jinja2.Environment:
    """The Jinja environment the renderer uses, so the lint compiles what it would."""
    from docgen.render import make_environment

    return make_environment()
