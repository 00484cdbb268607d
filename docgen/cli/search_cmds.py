"""CLI commands of the search area: search, topics, similar, reindex (issue 4)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import click

from docgen.cli.common import echo_json, say, settings_of
from docgen.i18n import Msg, h
from docgen.search import SearchFilters, SearchResults, open_index, ready_index
from docgen.topics import load_topics


def _notify(ctx: click.Context) -> Callable[[Msg], None]:
    """Say on stderr what catching up with the archive does (waits, rebuilds, delays)."""
    return lambda message: say(ctx, message, err=True)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from docgen.search.evaluate import parse_day

    return parse_day(value)


def _bold(text: str) -> str:
    parts = text.split("**")
    return "".join(click.style(p, bold=True) if i % 2 else p for i, p in enumerate(parts))


def _print_results(ctx: click.Context, found: SearchResults, lang: str) -> None:
    say(ctx, Msg(f"Tìm thấy {found.total} văn bản (trang {found.page}).",
                 f"{found.total} documents found (page {found.page})."))
    for n, hit in enumerate(found.hits, start=(found.page - 1) * found.limit + 1):
        number = f" số {hit.number_text}" if hit.number_text else ""
        click.echo(f"{n}. [{hit.kind}]{number} {hit.date.isoformat()} — {hit.cell}")
        click.echo(f"   {hit.title}   ({hit.id})")
        if hit.topics:
            click.echo("   " + ("chủ đề" if lang != "en" else "topics") + ": " + ", ".join(hit.topics))
        for snip in hit.snippets:
            click.echo("   … " + _bold(snip))
    if found.did_you_mean:
        say(ctx, Msg(f"Có phải bạn muốn tìm: {found.did_you_mean}", f"Did you mean: {found.did_you_mean}"))
    for name, counts in found.facets.items():
        if counts:
            top = ", ".join(f"{k} ({v})" for k, v in list(counts.items())[:8])
            click.echo(f"{name}: {top}")


def search_cmd(ctx: click.Context, query: str, kind: str | None, cell: str | None,
               topic: str | None, date_from: str | None, date_to: str | None, year: int | None,
               sort: str, limit: int, page: int, as_json: bool) -> None:
    settings = settings_of(ctx)
    filters = SearchFilters(kind=kind, cell=cell, topic=topic, date_from=_date(date_from),
                            date_to=_date(date_to), year=year)
    index = ready_index(settings, _notify(ctx))
    found = index.search(query, filters, sort=sort, limit=limit, page=page)
    if as_json:
        echo_json(found.to_json())
    else:
        _print_results(ctx, found, settings.lang)


def register(main: click.Group) -> None:
    """Add this area's commands to main."""

    @main.command("search", help=h(
        'Tìm văn bản. Cú pháp: từ, "cụm từ", AND/OR/NOT, tiền tố*, topic:vsmt kind:nghi-quyet '
        'cell:"An Thành" year:2023. Không dấu vẫn tìm được; VSMT ↔ vệ sinh môi trường.',
        'Search documents. Syntax: words, "phrases", AND/OR/NOT, prefix*, topic:vsmt '
        'kind:nghi-quyet cell:"An Thanh" year:2023. Works without accents; VSMT <-> full form.'))
    @click.argument("query")
    @click.option("--kind", help=h("Loại văn bản (vd: nghi-quyet).", "Document kind (e.g. nghi-quyet)."))
    @click.option("--cell", help=h("Chi bộ (tên cũ hoặc mới).", "Cell (old or current name)."))
    @click.option("--topic", help=h("Chủ đề (mã hoặc tên, vd: vsmt).", "Topic (id or name, e.g. vsmt)."))
    @click.option("--from", "date_from", help=h("Từ ngày (2023-01-31).", "From date (2023-01-31)."))
    @click.option("--to", "date_to", help=h("Đến ngày (2023-12-31).", "To date (2023-12-31)."))
    @click.option("--year", type=int, help=h("Năm.", "Year."))
    @click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
                  help=h("Sắp xếp: mức phù hợp hoặc ngày (mới trước).", "Sort: relevance or date (newest first)."))
    @click.option("--limit", type=click.IntRange(1, 1000), default=10, help=h("Số kết quả mỗi trang.", "Results per page."))
    @click.option("--page", type=click.IntRange(1), default=1, help=h("Trang.", "Page."))
    @click.option("--json", "as_json", is_flag=True, help=h("In kết quả dạng JSON.", "Print results as JSON."))
    @click.pass_context
    def _search(ctx: click.Context, /, **kwargs: Any) -> None:
        search_cmd(ctx, **kwargs)

    @main.command("topics", help=h("Danh sách chủ đề và số văn bản của mỗi chủ đề.",
                                   "The topic list with document counts."))
    @click.option("--json", "as_json", is_flag=True, help=h("In dạng JSON.", "Print as JSON."))
    @click.pass_context
    def _topics(ctx: click.Context, as_json: bool) -> None:
        settings = settings_of(ctx)
        index = ready_index(settings, _notify(ctx))
        counts = index.topic_counts() if index.exists() else {}
        rows: list[dict[str, Any]] = [{"id": t.id, "label": t.label, "abbreviations": list(t.abbreviations),
                 "count": counts.get(t.id, 0)} for t in load_topics()]
        if as_json:
            echo_json(rows)
            return
        for row in rows:
            abbr = f" ({', '.join(row['abbreviations'])})" if row["abbreviations"] else ""
            click.echo(f"{row['id']:18s} {row['count']:6d}  {row['label']}{abbr}")

    @main.command("similar", help=h("Văn bản tương tự văn bản ID.", "Documents similar to document ID."))
    @click.argument("doc_id")
    @click.option("--limit", type=click.IntRange(1, 1000), default=10, help=h("Số kết quả.", "Number of results."))
    @click.option("--json", "as_json", is_flag=True, help=h("In dạng JSON.", "Print as JSON."))
    @click.pass_context
    def _similar(ctx: click.Context, doc_id: str, limit: int, as_json: bool) -> None:
        settings = settings_of(ctx)
        found = ready_index(settings, _notify(ctx)).similar(doc_id, limit=limit)
        if as_json:
            echo_json(found.to_json())
        else:
            _print_results(ctx, found, settings.lang)

    @main.command("reindex", help=h("Xây dựng lại chỉ mục tìm kiếm từ kho lưu trữ.",
                                    "Rebuild the search index from the archive."))
    @click.pass_context
    def _reindex(ctx: click.Context) -> None:
        from docgen.archive import Archive

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
                     f"Indexed {count} documents into {index.path}."))
