"""Hostile input fails fast and clearly (issue 9): exit 3 naming the file and the field,
never a traceback, never a partial output file.

The fuzz test mutates the real examples (wrong types, deep nesting, aliases, huge
numbers, control characters, invalid UTF-8, BOMs) and drives ``docgen render`` and
``docgen new`` through click's CliRunner. 500 examples by default; ``make reliability``
sets DOCGEN_FUZZ_EXAMPLES=10000.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from docgen.cli import main
from docgen.config import Settings
from docgen.errors import InputError
from docgen.model import KINDS, load_profile, parse_input
from docgen.model.files import MAX_DEPTH, MAX_FILE_BYTES, MAX_INT_DIGITS, MAX_ITEMS, parse_text
from docgen.model.validation import DATE_PATTERN, ID_PATTERN, MAX_PROBLEMS, TIME_PATTERN
from docgen.topics import topic_ids

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"
KIND_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml") if p.name != "profile.yaml")
EXAMPLE_DATA: dict[str, dict[str, Any]] = {
    kind: json.loads(json.dumps(yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text("utf-8")), default=str))
    for kind in KIND_NAMES
}
FUZZ_EXAMPLES = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", "500"))

# What docgen must refuse inside strings: C0/C1 controls but tab, LF, CR (and NEL, a
# YAML line break); lone surrogates; the non-characters U+FFFE/U+FFFF.
BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

BILLION_LAUGHS = "kind: nghi-quyet\n" + "".join(
    f"{name}: &{name} [{','.join([prev] * 9)}]\n"
    for name, prev in zip("abcdefghi", ['"lol"', *(f"*{c}" for c in "abcdefgh")], strict=True))


# ----------------------------------------------------------------------------- running

def invoke(workdir: Path, command: str, source: Path, lang: str = "en") -> tuple[Result, Path]:
    """Run ``docgen render`` (to workdir/out.docx) or ``docgen new`` (archive workdir/archive)."""
    args = ["--lang", lang, "--config", str(CONFIG)]
    if command == "render":
        out = workdir / "out.docx"
        args += ["render", str(source), "-o", str(out)]
    else:
        out = workdir / "archive"
        args += ["--archive", str(out), "new", str(source)]
    return CliRunner().invoke(main, args, env={"DOCGEN_USER": "fuzz"}), out


def written(command: str, workdir: Path, out: Path, source: Path) -> list[Path]:
    """Document files the command left behind (temporary ones included)."""
    if command == "render":
        return [p for p in workdir.iterdir() if p != source]
    if not out.exists():
        return []
    return [p for p in out.rglob("*") if p.suffix == ".docx" or p.name in ("meta.json", "input.yaml")]


def check_outcome(result: Result, command: str, workdir: Path, out: Path, source: Path,
                  must_fail: bool, lang: str = "en") -> None:
    """exit 0 or 3, no traceback, nothing written on 3, the document written on 0."""
    exc = result.exception
    detail = f"{command} exit {result.exit_code}\n{result.output}"
    if exc is not None and not isinstance(exc, SystemExit):
        detail += "".join(traceback.format_exception(exc))
        raise AssertionError(f"exception {type(exc).__name__}: {exc}\n{detail}")
    assert "Traceback" not in result.output, detail
    assert result.exit_code in (0, 3), detail
    if must_fail:
        assert result.exit_code == 3, detail
    left = written(command, workdir, out, source)
    if result.exit_code == 3:
        assert ("Error: " if lang == "en" else "Lỗi: ") in result.stderr, detail
        assert left == [], f"{detail}\nleft behind: {left}"
    elif command == "render":
        assert left == [out], detail
    else:
        assert left, detail


def run_file(tmp_path: Path, content: bytes | str, command: str = "render", lang: str = "en",
             name: str = "input.yaml") -> Result:
    """Write ``content``, run ``command`` on it and check the common promises."""
    workdir = Path(tempfile.mkdtemp(dir=tmp_path))
    source = workdir / name
    source.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result, out = invoke(workdir, command, source, lang)
    check_outcome(result, command, workdir, out, source, must_fail=True, lang=lang)
    return result


# ----------------------------------------------------------------------------- plain cases

@pytest.mark.parametrize("command", ["render", "new"])
def test_billion_laughs_is_refused_in_both_languages(tmp_path: Path, command: str) -> None:
    vi = run_file(tmp_path, BILLION_LAUGHS, command, "vi")
    assert "bí danh YAML (&/*)" in vi.stderr and "input.yaml" in vi.stderr
    assert "Trường: b[0]" in vi.stderr and "hãy viết đầy đủ giá trị" in vi.stderr
    en = run_file(tmp_path, BILLION_LAUGHS, command, "en")
    assert "YAML aliases (&/*)" in en.stderr and "Field: b[0]" in en.stderr
    assert "write the value out in full" in en.stderr


def test_billion_laughs_fails_in_under_a_second_and_100_mb(tmp_path: Path) -> None:
    source = tmp_path / "laughs.yaml"
    source.write_text(BILLION_LAUGHS, "utf-8")
    assert len(BILLION_LAUGHS.encode()) < 420
    probe = textwrap.dedent(f"""
        import resource, sys, time
        from pathlib import Path
        from docgen.errors import InputError
        from docgen.model.files import read_mapping
        def hwm():  # this process's peak RSS in KiB (ru_maxrss would include the parent's
            # peak, which Linux carries across fork and exec)
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        before = hwm()
        start = time.perf_counter()
        try:
            read_mapping(Path({str(source)!r}))
        except InputError as exc:
            print("refused:", exc.message.en)
        else:
            sys.exit("accepted")
        took = time.perf_counter() - start
        peak = hwm()
        print(took, peak, peak - before)
    """)
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                         cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    refused, figures = run.stdout.strip().splitlines()
    assert "aliases" in refused
    took, peak_kib, _ = (float(x) for x in figures.split())
    assert took < 1.0
    assert peak_kib < 100 * 1024  # KiB: the whole process, imports included


def test_deep_yaml_lists(tmp_path: Path) -> None:
    result = run_file(tmp_path, "kind: nghi-quyet\nx: " + "[" * 900 + "]" * 900 + "\n")
    assert f"more than {MAX_DEPTH} levels" in result.stderr and "Field: x[0][0]" in result.stderr
    block = "kind: nghi-quyet\nx:\n" + "".join("  " * i + "-\n" for i in range(900))
    result = run_file(tmp_path, block)
    assert "nested too deeply" in result.stderr


@pytest.mark.parametrize("command", ["render", "new"])
def test_deep_json_arrays(tmp_path: Path, command: str) -> None:
    result = run_file(tmp_path, '{"kind": "nghi-quyet", "x": ' + "[" * 3000 + "]" * 3000 + "}",
                      command, name="input.json")
    assert "nested too deeply" in result.stderr
    result = run_file(tmp_path, "[" * 3000 + "]" * 3000, command, name="input.json")
    assert "nested too deeply" in result.stderr
    result = run_file(tmp_path, '{"a": ' * 3000 + "1" + "}" * 3000, command, name="input.json")
    assert "nested too deeply" in result.stderr


@pytest.mark.parametrize("command", ["render", "new"])
def test_5000_digit_integers(tmp_path: Path, command: str) -> None:
    base = (EXAMPLES / "nghi-quyet.yaml").read_text("utf-8")
    result = run_file(tmp_path, base.replace("number: 5", "number: " + "9" * 5000), command, "vi")
    assert "số quá lớn (5000 chữ số" in result.stderr and "Trường: number" in result.stderr
    text = json.dumps({**EXAMPLE_DATA["nghi-quyet"], "vote": {"for": 0}}, ensure_ascii=False)
    text = text.replace('"for": 0', '"for": 1' + "0" * 4999)  # 10**4999: past Python's int-string limit
    result = run_file(tmp_path, text, command, name="input.json")
    assert "number too large (5000 digits" in result.stderr and "Field: vote.for" in result.stderr
    hexa = base.replace("number: 5", "number: 0x" + "f" * 40)
    assert "Field: number" in run_file(tmp_path, hexa, command).stderr


@pytest.mark.parametrize("command", ["render", "new"])
@pytest.mark.parametrize(("line", "field"), [
    ("kind: [a]", "kind"), ("kind: {a: 1}", "kind"), ("kind: 5", "kind"), ("kind: null", "kind"),
    ("topics: 5", "topics"), ("topics: [[a]]", "topics[0]"), ("topics: [{a: 1}, {a: 2}]", "topics[0]"),
    ("number: 5.0", "number"), ("month: 3.0", "month"), ("vote: [15]", "vote"),
    ("vote: {for: 15.5}", "vote.for"), ("self_score: {points: .nan}", "self_score.points"),
    ("self_score: {points: .inf}", "self_score.points"), ('date: "2026-03-10\\n"', "date"),
    ('start: "19:30\\n"', "start"), ('date: "٢٠٢٦-٠٣-١٠"', "date"), ("chair: \"m01\\n\"", "chair"),
    ("place: \"a\\0b\"", "place"), ("place: \"a\\x07\"", "place"), ("place: \"\\ud800\"", None),
    ("absent: {member: m05}", "absent"), ("absent: [5]", "absent[0]"), ("absent: [[m05, ốm]]", "absent[0]"),
    ("guests: [[a]]", "guests[0]"), ("assignments: [5]", "assignments[0]"),
    ("date: !!timestamp 2026-13-45", "date"), ("number: !!int abc", "number"),
    ("draft: !!bool abc", "draft"), ("place: !!binary aGVsbG8=", "place"), ("place: !custom x", "place"),
    ("read_back: {agree: [1]}", "read_back"), ("exempt_present: [{a: 1}, {a: 1}]", "exempt_present"),
])
def test_wrong_types_name_the_field(tmp_path: Path, command: str, line: str, field: str | None) -> None:
    data = dict(EXAMPLE_DATA["nghi-quyet"])
    data.pop(line.split(":")[0], None)
    result = run_file(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + line + "\n",
                      command)
    assert f"Field: {field}" in result.stderr if field else "YAML syntax error" in result.stderr


@pytest.mark.parametrize("content", [
    "- kind\n- nghi-quyet\n", "nghi-quyet\n", "", "[1, 2]", "5", "null", '"kind"',
    "kind: nghi-quyet\n---\nkind: nghi-quyet\n", "? [a]\n: b\n", "[a]: b\n", "<<: 5\n",
])
def test_not_a_mapping_or_broken_yaml(tmp_path: Path, content: str) -> None:
    run_file(tmp_path, content)


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf\xef\xbb\xbfkind: nghi-quyet\n", b"\xff\xfek\x00i\x00", b"kind: nghi\x00-quyet\n",
    b"kind: nghi-quyet\nplace: \xc3\n", b"kind: nghi-quyet\nplace: \xed\xa0\x80\n",
    b"kind: nghi-quyet\x1b\n", b'{"kind": "nghi-quyet\x7f"}', b'{"kind": "nghi-quyet", "place": "\\ud800"}',
    b'{"kind": "nghi-quyet", "number": NaN}', b'{"kind": "nghi-quyet", "number": 1e999}',
    b'{"kind": "nghi-quyet", "a\\u0000": 1}',
])
def test_bytes_that_are_not_clean_text(tmp_path: Path, raw: bytes) -> None:
    run_file(tmp_path, raw, name="input.json" if raw.startswith(b"{") else "input.yaml")


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    base = (EXAMPLES / "nghi-quyet.yaml").read_text("utf-8")
    padding = "# " + "x" * 100 + "\n"
    text = base + padding * (MAX_FILE_BYTES // len(padding) + 1)
    start = time.perf_counter()
    result = run_file(tmp_path, text, lang="vi")
    assert time.perf_counter() - start < 2
    assert "tệp quá lớn" in result.stderr
    ok = base + padding * ((MAX_FILE_BYTES - len(base.encode()) - 1) // len(padding))
    assert len(ok.encode()) <= MAX_FILE_BYTES
    assert parse_text(ok, "ok.yaml")["kind"] == "nghi-quyet"


def test_limits_are_exact() -> None:
    def nested(lists: int) -> Any:  # inside the top mapping: lists + 1 levels
        value: Any = 1
        for _ in range(lists):
            value = [value]
        return value

    for dump in (json.dumps, yaml.safe_dump):
        assert parse_text(dump({"x": nested(MAX_DEPTH - 1)}), "in")["x"] == nested(MAX_DEPTH - 1)
        with pytest.raises(InputError, match="nested too deeply|lồng nhau quá sâu"):
            parse_text(dump({"x": nested(MAX_DEPTH)}), "in")
        biggest = 10 ** MAX_INT_DIGITS - 1
        assert parse_text(dump({"x": biggest, "y": -biggest}), "in") == {"x": biggest, "y": -biggest}
        for big in (10 ** MAX_INT_DIGITS, -(10 ** MAX_INT_DIGITS)):
            with pytest.raises(InputError) as info:
                parse_text(dump({"x": big}), "in")
            assert info.value.field == "x"


def test_long_lists_are_checked_in_linear_time_and_problems_capped() -> None:
    settings = Settings(profile_path=EXAMPLES / "profile.yaml")
    profile = load_profile(settings.profile_path)
    data = {**EXAMPLE_DATA["nghi-quyet"], "topics": [{"a": i} for i in range(20000)]}
    start = time.perf_counter()
    with pytest.raises(InputError) as info:  # parse_input: no file, so no MAX_ITEMS
        parse_input(data, settings, profile, "in.yaml")
    assert time.perf_counter() - start < 3  # jsonschema's own uniqueItems took 6 s for 3,000 mappings
    problems = info.value.problems
    assert len(problems) == MAX_PROBLEMS + 1 and "only the first" in problems[-1].message.en
    data = {**EXAMPLE_DATA["nghi-quyet"], "absent": [{"member": "m05"}] * 5000}
    with pytest.raises(InputError) as info:
        parse_input(data, settings, profile, "in.yaml")
    assert len(info.value.problems) == MAX_PROBLEMS + 1


@pytest.mark.parametrize("dump", [json.dumps, yaml.safe_dump])
def test_item_limit(dump: Any) -> None:
    assert len(parse_text(dump({"x": list(range(MAX_ITEMS))}), "in")["x"]) == MAX_ITEMS
    for value in ({"x": list(range(MAX_ITEMS + 1))}, {"x": {f"k{i}": i for i in range(MAX_ITEMS + 1)}}):
        with pytest.raises(InputError, match="hơn 1000") as info:
            parse_text(dump(value), "in")
        assert info.value.field == "x"


def test_document_date_range(tmp_path: Path) -> None:
    base = (EXAMPLES / "de-cuong-chuyen-de.yaml").read_text("utf-8")
    for day in ("1979-12-31", "2100-01-01", "2200-01-01"):  # a .docx (zip) holds 1980-2107
        result = run_file(tmp_path, base.replace("date: 2026-03-17", f"date: {day}"))
        assert "Field: date" in result.stderr and "out of range" in result.stderr
    for day in ("1980-01-01", "2099-12-31"):
        workdir = Path(tempfile.mkdtemp(dir=tmp_path))
        source = workdir / "input.yaml"
        source.write_text(base.replace("date: 2026-03-17", f"date: {day}"), "utf-8")
        result, out = invoke(workdir, "render", source)
        check_outcome(result, "render", workdir, out, source, must_fail=False)
        assert result.exit_code == 0


def test_odd_yaml_that_is_refused_or_read_as_text() -> None:
    with pytest.raises(InputError) as info:  # 0x… escapes Python's int-string limit: str() would fail
        parse_text("? 0x" + "f" * 300_000 + "\n: 1\n", "in")
    assert "very many digits" in info.value.message.en
    with pytest.raises(InputError) as info:
        parse_text('"a\\x01": 1\n', "in")
    assert info.value.field == "a\\u0001"
    assert parse_text("kind: =\n", "in") == {"kind": "="}
    assert parse_text("a: !!str 5\nb: !!null x\n", "in") == {"a": "5", "b": None}


def test_anchors_without_aliases_and_plain_json_still_work(tmp_path: Path) -> None:
    base = (EXAMPLES / "nghi-quyet.yaml").read_text("utf-8")
    data = parse_text(base.replace("place: Nhà", "place: &p Nhà"), "in.yaml")
    assert data["place"] == "Nhà văn hóa thôn An Thành"
    assert parse_text(json.dumps(EXAMPLE_DATA["nghi-quyet"]), "in.json") == parse_text(base, "in.yaml")
    assert parse_text("\ufeff" + base, "bom.yaml") == parse_text(base, "in.yaml")


# ----------------------------------------------------------------------------- fuzzing

def paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*path, index))


def replace_at(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return data


def nest(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def must_be_refused(data: Any) -> bool:
    """True when the limits alone (independently of the schema) refuse ``data``."""
    if not isinstance(data, dict):
        return True
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH or len(value) > MAX_ITEMS or any(BAD_CHAR.search(k) for k in value):
                return True
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            if depth > MAX_DEPTH or len(value) > MAX_ITEMS:
                return True
            stack.extend((v, depth + 1) for v in value)
        elif bad_scalar(value):
            return True
    return False


def bad_scalar(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= 10 ** MAX_INT_DIGITS
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, str) and BAD_CHAR.search(value) is not None


CONTROL = st.sampled_from(["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x9b",
                           "\ud800", "\udfff", "\ufffe"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10 ** 6), 10 ** 6), st.floats(), st.text(max_size=12),
    st.sampled_from(["2026-02-30", "2026-03-10\n", "2026-3-10", "٢٠٢٦-٠٣-١٠", "25:00", "19:30", "7:30",
                     "m01", "m99", "t01", "", " ", "\n", "1e999", "0x1F", "nghi-quyet", "vsmt", "Quý V",
                     "Tháng 13", "ＭＯ１", "\ufeffm01", "m01\u200b", "\u2028", "Đảng ủy"]),
    st.integers(MAX_INT_DIGITS - 2, 4000).map(lambda n: int("9" * n)),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=4), CONTROL, st.text(max_size=4)),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=6), st.sampled_from(["for", "member", "points", "name"])),
                    SCALARS, max_size=3),
    st.builds(nest, st.integers(1, 120), st.sampled_from([0, "a", None, {}, {"a": 1}])),
    st.builds(lambda n, item: [item] * n, st.integers(MAX_ITEMS - 2, MAX_ITEMS + 2),
              st.sampled_from(["m05", "vsmt", {"member": "m05"}, 1])),
)
WEIRD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-02-29", "2024-02-29", "0001-01-01", "9999-12-31", "2026-03-10", "00:00", "23:59",
                     "21:30", "19:30", "m01", "m02", "m03", "m05", "m30", "t01", "x", "Quý IV", "quý 2",
                     "Tháng 12", "THÁNG 0", "{{ x }}", "{% if %}", "<w:p>", "&amp;", "\t", "a\r\nb",
                     "\u0301", "ĐẢNG ỦY", "vsmt", "antt", "-", "Lưu", "căn cứ", "Căn cứ;"]),
)


def same_type(value: Any) -> st.SearchStrategy[Any]:
    """Another value of the same JSON type: inputs that pass the schema and go deeper."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.one_of(st.integers(-3, 40), st.integers(-(10 ** 29), 10 ** 29), st.sampled_from([1945, 2200]))
    if isinstance(value, float):
        return st.floats(-1, 101)
    if isinstance(value, str):
        return WEIRD_TEXT
    if isinstance(value, list):
        return st.one_of(st.just([]), st.just(value * 2), st.just(value[::-1]),
                         st.lists(st.sampled_from(value), max_size=6) if value else st.just([]))
    if isinstance(value, dict):
        return st.just({}) if not value else st.sampled_from([{}, dict(list(value.items())[:1])])
    return st.one_of(st.none(), WEIRD_TEXT, st.integers(0, 30), st.just([]), st.just({}))


MEMBER_IDS = [m.id for m in load_profile(EXAMPLES / "profile.yaml").members]
TOPIC_IDS = sorted(topic_ids())


def dates() -> st.SearchStrategy[str]:
    return st.builds("{:04d}-{:02d}-{:02d}".format, st.sampled_from([1944, 1998, 2025, 2026, 2027, 2200]),
                     st.integers(0, 13), st.integers(0, 32))


def from_schema(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values a schema (mostly) accepts, edges included: inputs that reach the Party rules,
    the context, the renderer and the archive rather than stopping at the schema."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    types = schema["type"] if isinstance(schema.get("type"), list) else [schema.get("type")]
    options: list[st.SearchStrategy[Any]] = []
    for kind in types:
        if kind == "null":
            options.append(st.none())
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "integer":
            low, high = schema.get("minimum", -(10 ** 29)), schema.get("maximum", 10 ** 29)
            options.append(st.one_of(st.integers(low, min(high, low + 40)), st.integers(low, high),
                                     st.sampled_from([low, high, low - 1, high + 1])))
        elif kind == "number":
            options.append(st.floats(schema.get("minimum", -1e9), schema.get("maximum", 1e9)))
        elif kind == "string":
            pattern = schema.get("pattern")
            if pattern == DATE_PATTERN:
                options.append(dates())
            elif pattern == TIME_PATTERN:
                options.append(st.builds("{:02d}:{:02d}".format, st.integers(0, 24), st.integers(0, 60)))
            elif pattern == ID_PATTERN:
                options.append(st.sampled_from([*MEMBER_IDS, *TOPIC_IDS, "m99", "x"]))
            else:
                options.append(st.one_of(WEIRD_TEXT, st.sampled_from(MEMBER_IDS)))
        elif kind == "array" and depth < 4:
            options.append(st.lists(from_schema(schema.get("items", {"type": "string"}), depth + 1), max_size=4))
        elif kind == "object" and depth < 4:
            properties = schema.get("properties", {})
            required = set(schema.get("required", []))
            options.append(st.fixed_dictionaries(
                {k: from_schema(v, depth + 1) for k, v in properties.items() if k in required},
                optional={k: from_schema(v, depth + 1) for k, v in properties.items() if k not in required}))
    return st.one_of(options) if options else st.none()


BAD_BYTES = st.sampled_from([b"\x00", b"\x07", b"\x1b", b"\x7f", b"\xff", b"\xfe", b"\xc3", b"\x80",
                             b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
INT_FIELD = re.compile(r'((?:number|for|against|abstain|month|year|agree)"?: )\d+')


def fresh(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    """A drawn value copied: st.just({}) and sampled_from give the same object every time,
    and the mutations below change the data in place."""
    return copy.deepcopy(draw(strategy))


@st.composite
def hostile_inputs(draw: st.DrawFn) -> tuple[bytes, str, bool]:
    """(file content, file name, whether the limits alone must refuse it)."""
    kind = draw(st.sampled_from(KIND_NAMES))
    data: Any = json.loads(json.dumps(EXAMPLE_DATA[kind]))
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(list(paths(data))))
        op = draw(st.sampled_from(["value", "value", "same", "same", "schema", "schema", "schema", "copy",
                                   "delete", "add"]))
        if op == "schema" and isinstance(data, dict):
            name, schema = draw(st.sampled_from(sorted(KINDS[kind].schema["properties"].items())))
            data[name] = fresh(draw, from_schema(schema))
        elif op == "value":
            data = replace_at(data, where, fresh(draw, VALUES))
        elif op == "same":
            current: Any = data
            for part in where:
                current = current[part]
            data = replace_at(data, where, fresh(draw, same_type(current)))
        elif op == "copy":  # a value of the right shape from somewhere else: type confusion
            donor: Any = data
            for part in draw(st.sampled_from(list(paths(data)))):
                donor = donor[part]
            data = replace_at(data, where, json.loads(json.dumps(donor)))
        elif where:
            parent: Any = data
            for part in where[:-1]:
                parent = parent[part]
            if op == "delete" and isinstance(parent, dict | list):
                del parent[where[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = fresh(draw, VALUES)
    must_fail = must_be_refused(data)
    if draw(st.booleans()):
        name = "input.yaml"
        text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False,
                              default_flow_style=draw(st.sampled_from([False, None, True])))
    else:
        name = "input.json"
        text = json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    text_ops = st.sampled_from(["alias", "deep", "bigint", "laughs"])
    for op in draw(st.lists(text_ops, max_size=2)) if draw(st.integers(0, 3)) == 0 else []:
        if op == "alias":
            text = "_a: &a [lol]\n_b: [*a, *a]\n" + text
        elif op == "laughs":
            text = BILLION_LAUGHS + text
        elif op == "deep":
            depth = draw(st.integers(MAX_DEPTH - 2, 3000))
            text = "_deep: " + "[" * depth + "]" * depth + "\n" + text
        else:
            text, count = INT_FIELD.subn(lambda m: m.group(1) + "9" * draw(st.integers(31, 6000)), text, 1)
            must_fail = must_fail or bool(count)
            continue
        must_fail = True  # an unknown key, an alias or a syntax error at least
    raw = text.encode("utf-8", "surrogatepass")
    byte_ops = st.sampled_from(["bom", "bytes", "truncate", "flip"])
    for op in draw(st.lists(byte_ops, max_size=2)) if draw(st.integers(0, 3)) == 0 else []:
        position = draw(st.integers(0, len(raw)))
        if op == "bom":
            raw = b"\xef\xbb\xbf" * draw(st.integers(1, 2)) + raw
        elif op == "bytes":
            raw = raw[:position] + draw(BAD_BYTES) + raw[position:]
            must_fail = True
        elif op == "truncate":
            raw, must_fail = raw[:position], False
        elif position < len(raw):
            raw = raw[:position] + bytes([draw(st.integers(0, 255))]) + raw[position + 1:]
            must_fail = False
    if b"\xed\xa0" in raw or b"\xed\xbf" in raw:  # a surrogate written raw is invalid UTF-8
        must_fail = True
    return raw, name, must_fail


@fuzz_settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.function_scoped_fixture])
@given(case=hostile_inputs(), command=st.sampled_from(["render", "render", "render", "new"]),
       lang=st.sampled_from(["en", "vi"]))
def test_fuzzed_inputs_never_crash(tmp_path: Path, case: tuple[bytes, str, bool], command: str,
                                   lang: str) -> None:
    raw, name, must_fail = case
    workdir = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        source = workdir / name
        source.write_bytes(raw)
        result, out = invoke(workdir, command, source, lang)
        event(f"{command} exit {result.exit_code}{' (must fail)' if must_fail else ''}")
        check_outcome(result, command, workdir, out, source, must_fail, lang)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
