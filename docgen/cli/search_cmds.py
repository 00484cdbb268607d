"""CLI commands of the search area: search, topics, similar, reindex (issue 4).

docgen.search (whoosh) is imported inside the commands, so ``docgen search --help``
starts as quickly as ``docgen --help``.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from docgen.cli.archive_cmds import ID_EN, ID_VI, ref_options
from docgen.cli.common import (
    CELL_EN,
    CELL_VI,
    KIND_EN,
    KIND_VI,
    TOPIC_EN,
    TOPIC_VI,
    echo_json,
    say,
    settings_of,
    table,
)
from docgen.cli.types import DATE, KIND, YEAR, check_period
from docgen.i18n import Msg, docs_en, h

if TYPE_CHECKING:
    from docgen.search import SearchResults

# The facets of a search, as SearchResults.facets names them, with their option.
FACETS = {
    "kind": (Msg("Loại văn bản", "Kind"), "--kind"),
    "cell": (Msg("Chi bộ", "Cell"), "--cell"),
    "year": (Msg("Năm", "Year"), "--year"),
    "topic": (Msg("Chủ đề", "Topic"), "--topic"),
}
HEADERS = (Msg("STT", "No."), Msg("Ngày", "Date"), Msg("Số", "Number"), Msg("Loại", "Kind"),
           Msg("Chi bộ", "Cell"), Msg("Mã", "ID"))
FACET_VALUES = 8  # values shown per facet


def _notify(ctx: click.Context) -> Callable[[Msg], None]:
    """Say on stderr what catching up with the archive does (waits, rebuilds, delays)."""
    return lambda message: say(ctx, message, err=True)


def _bold(text: str) -> str:
    parts = text.split("**")
    return "".join(click.style(p, bold=True) if i % 2 else p for i, p in enumerate(parts))


def result_lines(found: SearchResults, lang: str) -> list[str]:
    """A results page: a table of the hits (each followed by its title, topics and the
    matching passages), then the facets that narrow the search."""
    from docgen.vn.dates import vn_date

    pages = max(1, math.ceil(found.total / found.limit)) if found.limit else 1
    lines = [Msg(f"Tìm thấy {found.total} văn bản (trang {found.page}/{pages}).",
                 f"{docs_en(found.total)} found (page {found.page} of {pages}).").text(lang)]
    if not found.hits:
        return lines + _facet_lines(found, lang)
    first = (found.page - 1) * found.limit + 1
    rows = [(str(n), vn_date(hit.date), hit.number_text or "-", hit.kind, hit.cell, hit.id)
            for n, hit in enumerate(found.hits, start=first)]
    headers = [m.text(lang) for m in HEADERS]
    head, *body = table(headers, rows)
    indent = " " * (max(len(headers[0]), len(rows[-1][0])) + 2)  # under the second column
    topics_label = Msg("Chủ đề", "Topics").text(lang)
    lines.append(head)
    for row, hit in zip(body, found.hits, strict=True):
        lines.append(row)
        lines.append(f"{indent}{hit.title}")
        if hit.topics:
            lines.append(f"{indent}{topics_label}: {', '.join(hit.topics)}")
        lines.extend(f"{indent}… {_bold(snip)}" for snip in hit.snippets)
    return lines + _facet_lines(found, lang)


def _facet_lines(found: SearchResults, lang: str) -> list[str]:
    lines = []
    if found.did_you_mean:
        lines.append(Msg(f"Có phải bạn muốn tìm: {found.did_you_mean}",
                         f"Did you mean: {found.did_you_mean}").text(lang))
    shown = [(name, counts) for name, counts in found.facets.items() if counts]
    if shown:
        lines.append(Msg("Thu hẹp kết quả:", "Narrow the results:").text(lang))
    for name, counts in shown:
        label, option = FACETS.get(name, (Msg(name, name), f"--{name}"))
        values = ", ".join(f"{k} ({v})" for k, v in list(counts.items())[:FACET_VALUES])
        more = len(counts) - FACET_VALUES
        if more > 0:
            values += Msg(f" và {more} giá trị khác", f" and {more} more").text(lang)
        lines.append(f"  {label.text(lang)} ({option}): {values}")
    return lines


def _print_results(found: SearchResults, lang: str) -> None:
    for line in result_lines(found, lang):
        click.echo(line)


def search_cmd(ctx: click.Context, query: str, kind: str | None, cell: str | None,
               topic: str | None, date_from: dt.date | None, date_to: dt.date | None,
               year: int | None, sort: str, limit: int, page: int, as_json: bool) -> None:
    from docgen.search import SearchFilters, ready_index

    settings = settings_of(ctx)
    filters = SearchFilters(kind=kind, cell=cell, topic=topic, date_from=date_from,
                            date_to=date_to, year=year)
    index = ready_index(settings, _notify(ctx))
    found = index.search(query, filters, sort=sort, limit=limit, page=page)
    if as_json:
        echo_json(found.to_json())
    else:
        _print_results(found, settings.lang)


def register(main: click.Group) -> None:
    """Add this area's commands to main."""

    @main.command("search", help=h(
        'Tìm văn bản. Cú pháp: từ, "cụm từ", AND/OR/NOT, tiền tố*, topic:vsmt kind:nghi-quyet '
        'cell:"An Thành" year:2023. Không dấu vẫn tìm được; VSMT ↔ vệ sinh môi trường. '
        'Ví dụ: docgen search "vệ sinh môi trường" --from 1/1/2026 --kind nghi-quyet',
        'Search documents. Syntax: words, "phrases", AND/OR/NOT, prefix*, topic:vsmt '
        'kind:nghi-quyet cell:"An Thanh" year:2023. Works without accents; VSMT <-> full form. '
        'Example: docgen search "vệ sinh môi trường" --from 1/1/2026 --kind nghi-quyet'))
    @click.argument("query")
    @click.option("--kind", type=KIND, help=h(KIND_VI, KIND_EN))
    @click.option("--cell", help=h(CELL_VI, CELL_EN))
    @click.option("--topic", help=h(TOPIC_VI, TOPIC_EN))
    @click.option("--from", "date_from", type=DATE, callback=check_period,
                  help=h("Từ ngày (vd: 1/1/2026).", "From this date (e.g. 1/1/2026)."))
    @click.option("--to", "date_to", type=DATE, callback=check_period,
                  help=h("Đến ngày (vd: 31/12/2026).", "Up to this date (e.g. 31/12/2026)."))
    @click.option("--year", type=YEAR, help=h("Năm, đủ 4 chữ số (vd: 2026).",
                                              "Year, all four digits (e.g. 2026)."))
    @click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
                  show_default=True,
                  help=h("Sắp xếp: relevance (phù hợp nhất trước) hoặc date (mới trước).",
                         "Sort: relevance (best first) or date (newest first)."))
    @click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
                  help=h("Số kết quả mỗi trang.", "Results per page."))
    @click.option("--page", type=click.IntRange(1), default=1, help=h("Trang.", "Page."))
    @click.option("--json", "as_json", is_flag=True,
                  help=h("In các kết quả dạng JSON.", "Print the results as JSON."))
    @click.pass_context
    def _search(ctx: click.Context, /, **kwargs: Any) -> None:
        search_cmd(ctx, **kwargs)

    @main.command("topics", help=h("Danh sách chủ đề và số văn bản của mỗi chủ đề. Ví dụ: docgen topics",
                                   "The topic list with document counts. Example: docgen topics"))
    @click.option("--json", "as_json", is_flag=True, help=h("In dạng JSON.", "Print as JSON."))
    @click.pass_context
    def _topics(ctx: click.Context, as_json: bool) -> None:
        from docgen.search import ready_index
        from docgen.topics import load_topics

        settings = settings_of(ctx)
        index = ready_index(settings, _notify(ctx))
        counts = index.topic_counts() if index.exists() else {}
        rows: list[dict[str, Any]] = [{"id": t.id, "label": t.label, "abbreviations": list(t.abbreviations),
                 "count": counts.get(t.id, 0)} for t in load_topics()]
        if as_json:
            echo_json(rows)
            return
        lang = settings.lang
        headers = [Msg("Mã", "ID").text(lang), Msg("Số văn bản", "Documents").text(lang),
                   Msg("Chủ đề (viết tắt)", "Topic (abbreviations)").text(lang)]
        lines = table(headers, [
            (row["id"], f"{row['count']:>{len(headers[1])}d}",
             row["label"] + (f" ({', '.join(row['abbreviations'])})" if row["abbreviations"] else ""))
            for row in rows])
        for line in lines:
            click.echo(line)

    @main.command("similar", help=h(
        "Văn bản tương tự văn bản ID. Ví dụ: docgen similar 05-NQ/CB. " + ID_VI,
        "Documents similar to document ID. Example: docgen similar 05-NQ/CB. " + ID_EN))
    @ref_options
    @click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
                  help=h("Số kết quả.", "Number of results."))
    @click.option("--json", "as_json", is_flag=True, help=h("In dạng JSON.", "Print as JSON."))
    @click.pass_context
    def _similar(ctx: click.Context, ref: str, ref_cell: str | None, limit: int,
                 as_json: bool) -> None:
        from docgen import app
        from docgen.search import ready_index

        settings = settings_of(ctx)
        doc_id = app.resolve_id(settings, ref, ref_cell)
        found = ready_index(settings, _notify(ctx)).similar(doc_id, limit=limit)
        if as_json:
            echo_json(found.to_json())
        else:
            _print_results(found, settings.lang)

    @main.command("reindex", help=h("Xây dựng lại chỉ mục tìm kiếm từ kho lưu trữ. Ví dụ: docgen reindex",
                                    "Rebuild the search index from the archive. Example: docgen reindex"))
    @click.pass_context
    def _reindex(ctx: click.Context) -> None:
        from docgen.archive import Archive
        from docgen.cli import click_vi
        from docgen.search import open_index

        click_vi.install(lazy=True)  # the progress bar's words

        settings = settings_of(ctx)
        archive = Archive(settings.archive_root, per_year=settings.numbering_per_year)
        total = sum(1 for _ in archive.iter_current())  # cheap: catalog only, no texts
        index = open_index(settings)
        label = Msg("Đang lập chỉ mục", "Indexing")
        try:
            with click.progressbar(length=total, label=label.text(settings.lang),
                                   file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
                count = index.rebuild_from(archive, progress=bar.update, notify=_notify(ctx))
        finally:
            archive.close()
        say(ctx, Msg(f"Đã lập chỉ mục {count} văn bản vào {index.path}.",
                     f"Indexed {docs_en(count)} into {index.path}."))
