"""Parse YAML keeping node positions, so validation errors can name line and column.

PyYAML's composer gives every node its start mark; we construct plain data from the same
node tree and keep a map from field path to (line, column). Duplicate keys, which PyYAML
would silently overwrite, are reported as problems.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from assessment.errors import Problem
from assessment.parse_limits import scan_yaml, text_size_problem

Path = tuple[Any, ...]
Positions = dict[Path, tuple[int, int]]
# libyaml when present: the same nodes and marks, about ten times faster
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, source: str) -> tuple[Any, Positions, list[Problem]]:
    """Return (data, positions, problems). problems non-empty means the text is unusable or suspect."""
    if not text.strip():
        return None, {}, [Problem(source, "berkas kosong; isi dengan kriteria atau jawaban dalam YAML/JSON")]
    limit = text_size_problem(len(text), source) or scan_yaml(text, source)  # bounded before anything is built
    if limit is not None:
        return None, {}, [limit]
    return _parse(text, source)


def _parse(text: str, source: str) -> tuple[Any, Positions, list[Problem]]:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}, [Problem(source, "berkas tidak berisi data (hanya komentar?)")]
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        what = _explain(exc.problem or exc.context or "")
        return None, {}, [Problem(source, f"sintaks YAML salah: {what}", line=line, column=col)]
    except yaml.YAMLError as exc:
        return None, {}, [Problem(source, f"bukan YAML yang sah: {exc}")]
    except (ValueError, RecursionError, OverflowError) as exc:  # a value the constructor cannot build
        return None, {}, [Problem(source, f"nilai yang tidak bisa dibaca: {str(exc)[:120]}")]
    positions: Positions = {}
    problems: list[Problem] = []
    _walk(node, (), positions, problems, source)
    return data, positions, problems


# PyYAML's most frequent complaints, said in Indonesian with what to do; others are shown as PyYAML words them.
_YAML_PROBLEMS = (
    (
        "mapping values are not allowed",
        "ada ': ' di tempat yang tidak boleh; beri tanda kutip pada teks yang memuat titik dua",
    ),
    ("found character '\\t'", "karakter tab tidak boleh; gunakan spasi untuk indentasi"),
    ("found a tab character", "karakter tab tidak boleh; gunakan spasi untuk indentasi"),
    (
        "expected ',' or ']'",
        "daftar [...] belum ditutup dengan ']' atau isinya tidak dipisah koma; teks berkoma diberi tanda kutip",
    ),
    (
        "expected ',' or '}'",
        "pemetaan {...} belum ditutup dengan '}' atau isinya tidak dipisah koma; teks berkoma diberi tanda kutip",
    ),
    ("found unexpected end of stream", "berkas berakhir sebelum tanda kutip atau kurung ditutup"),
    ("expected <block end>", "indentasi tidak konsisten; samakan jumlah spasi pada tingkat yang sama"),
    ("could not find expected ':'", "baris ini bukan 'kunci: nilai'; mungkin kurang ':' atau indentasi salah"),
    ("found undefined alias", "alias (*nama) dipakai sebelum didefinisikan dengan &nama"),
    ("but found another document", "berkas berisi lebih dari satu dokumen (---); satu berkas untuk satu isi"),
)


def _explain(problem: str) -> str:
    for english, indonesian in _YAML_PROBLEMS:
        if english in problem:
            return indonesian
    return problem or "periksa indentasi, tanda kutip dan kurung"


def _walk(node: yaml.Node, path: Path, positions: Positions, problems: list[Problem], source: str) -> None:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(
                    Problem(
                        source,
                        f"kunci '{key}' muncul dua kali",
                        path=format_path(path + (key,)),
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                    )
                )
            seen.add(key)
            positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), positions, problems, source)
            # keep the key's own position for the path (more useful than the value's)
            positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for idx, item in enumerate(node.value):
            _walk(item, path + (idx,), positions, problems, source)


def locate(positions: Positions, loc: Sequence[Any]) -> tuple[int | None, int | None]:
    """Position of the deepest known prefix of a pydantic error location."""
    path = tuple(loc)
    while True:
        if path in positions:
            return positions[path]
        if not path:
            return None, None
        path = path[:-1]


def format_path(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def load_text(raw: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Decode bytes as UTF-8 text, refusing binary files (and files past the size limit) with a clear message."""
    too_big = text_size_problem(len(raw), source)
    if too_big is not None:
        return None, [too_big]
    if b"\x00" in raw[:4096]:
        return None, [Problem(source, "ini bukan berkas teks (YAML/JSON); pilih berkas .yaml atau .json")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(source, f"berkas bukan teks UTF-8 (byte {exc.start}); simpan ulang sebagai UTF-8")]


def parse_any(text: str, source: str) -> tuple[Any, Positions, list[Problem]]:
    """JSON is YAML, but JSON's own error messages are clearer for .json files."""
    if not text.strip():
        return parse(text, source)
    limit = text_size_problem(len(text), source) or scan_yaml(text, source)
    if limit is not None:
        return None, {}, [limit]
    if source.lower().endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return None, {}, [Problem(source, f"JSON tidak sah: {exc.msg}", line=exc.lineno, column=exc.colno)]
        except (ValueError, RecursionError) as exc:
            return None, {}, [Problem(source, f"JSON tidak bisa dibaca: {str(exc)[:120]}")]
    return _parse(text, source)
