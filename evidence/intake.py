"""Evidence intake: judge an uploaded file by its bytes, never by its name.

    from evidence import inspect
    intake = inspect(data, "Foto papan informasi.jpg")
    intake.sha256, intake.size, intake.media_type, intake.safe_name

The type is recognised from magic bytes (and, for office documents, from the zip members);
the extension the user gave is only a hint for CSV versus plain text. Whatever the type, the
returned ``safe_name`` ends with an extension that agrees with it:

- a name whose extension already fits is kept (``FOTO.JPEG`` stays ``FOTO.JPEG``);
- a known file extension that does not fit is replaced (``foto.exe`` with PNG bytes becomes
  ``foto.png``; ``scan.jpg`` with PDF bytes becomes ``scan.pdf``; ``surat.pdf.exe`` with PDF
  bytes becomes ``surat.pdf``);
- anything else keeps its name and gets the right extension appended (``laporan`` becomes
  ``laporan.pdf``, ``data.2024`` becomes ``data.2024.pdf``).

Images are accepted on their magic bytes alone; they are stored and served as files (with their
detected media type), never decoded here.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from types import MappingProxyType

from assessment.errors import KepatuhanError
from assessment.messages import Phrase

MAX_BYTES = 20 * 1024 * 1024
"""Default upper bound of one evidence file (20 MiB, shown to users as "20 MB")."""

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 240  # UTF-8 bytes; keeps the name well inside the 255-byte limit of file systems
DEFAULT_NAME = "berkas"

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"
GIF = "image/gif"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
CSV = "text/csv"
TEXT = "text/plain"

ALLOWED: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        PDF: ("pdf",),
        JPEG: ("jpg", "jpeg", "jpe", "jfif"),
        PNG: ("png",),
        WEBP: ("webp",),
        GIF: ("gif",),
        DOCX: ("docx",),
        XLSX: ("xlsx",),
        PPTX: ("pptx",),
        ODT: ("odt",),
        ODS: ("ods",),
        ODP: ("odp",),
        CSV: ("csv",),
        TEXT: ("txt", "text", "log"),
    }
)
"""Accepted media types (judged by content) → their extensions, the first one canonical."""

IMAGE_TYPES = frozenset({PNG, JPEG, WEBP, GIF})

_LABELS = {
    PDF: "PDF",
    JPEG: "JPG",
    PNG: "PNG",
    WEBP: "WEBP",
    GIF: "GIF",
    DOCX: "DOCX",
    XLSX: "XLSX",
    PPTX: "PPTX",
    ODT: "ODT",
    ODS: "ODS",
    ODP: "ODP",
    CSV: "CSV",
    TEXT: "TXT",
}

# Extensions that name a file type; a wrong one of these is replaced rather than kept.
_KNOWN_EXTENSIONS = frozenset(ext for exts in ALLOWED.values() for ext in exts) | frozenset(
    {
        "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf",
        "hta", "cpl", "lnk", "reg", "jar", "apk", "app", "dmg", "sh", "bin", "elf", "so", "py",
        "php", "asp", "aspx", "jsp", "cgi", "pl", "html", "htm", "xhtml", "shtml", "mht", "svg",
        "svgz", "xml", "xsl", "swf", "zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "iso",
        "doc", "dot", "xls", "xlt", "ppt", "pps", "docm", "dotm", "xlsm", "xltm", "xlsb", "pptm",
        "rtf", "odg", "tif", "tiff", "bmp", "heic", "heif", "ico", "psd", "mp3", "mp4", "mov",
        "avi", "mkv", "wav",
    }
)  # fmt: skip

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{i}" for i in "123456789¹²³"}
    | {f"lpt{i}" for i in "123456789¹²³"}
)
_FORBIDDEN_CHARS = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"[0-9A-Za-z]{1,10}")
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

_HTML_SNIFF = (
    b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<h1", b"<div",
    b"<font", b"<table", b"<a ", b"<style", b"<title", b"<b>", b"<br", b"<p>", b"<p ", b"<!--",
    b"<meta", b"<link", b"<object", b"<embed", b"<form", b"<img",
)  # fmt: skip
_MARKUP_ANYWHERE = (b"<script", b"<html", b"<svg", b"<iframe", b"<!doctype html", b"javascript:")


class EvidenceRejected(KepatuhanError):
    """An uploaded file that is not accepted as evidence; str() says why and what to do.

    ``reason`` is one of ``"empty"``, ``"too_large"``, ``"type"``.
    """

    def __init__(self, *, key: str, reason: str, file_name: str, detected: str = "", **params: object) -> None:
        super().__init__(key=key, name=file_name, **params)
        self.reason = reason
        self.file_name = file_name
        self.detected = detected


@dataclass(frozen=True, slots=True)
class Intake:
    """An accepted evidence file: what it is, and the name it may be stored and shown under."""

    sha256: str
    size: int
    media_type: str
    safe_name: str

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGE_TYPES

    @property
    def is_pdf(self) -> bool:
        return self.media_type == PDF


def inspect(
    data: bytes,
    file_name: str,
    *,
    max_bytes: int = MAX_BYTES,
    allowed: Collection[str] | None = None,
) -> Intake:
    """Check one uploaded file and describe it, or raise ``EvidenceRejected``.

    ``allowed`` narrows the accepted media types (default: every type in ``ALLOWED``).
    """
    shown = safe_file_name(file_name)
    size = len(data)
    if size == 0:
        raise EvidenceRejected(
            key="err.evidence.empty",
            reason="empty",
            file_name=shown,
        )
    if size > max_bytes:
        raise EvidenceRejected(
            key="err.evidence.too_large",
            size=_format_size(size, up=True),
            limit=_format_size(max_bytes),
            reason="too_large",
            file_name=shown,
        )
    accepted = list(ALLOWED) if allowed is None else _accepted(allowed)
    media_type, detected, hint = _detect(data, shown)
    if media_type is None or media_type not in accepted:
        what = detected if media_type is None else Phrase("err.part.not_allowed_here", label=_LABELS[media_type])
        kinds = [_LABELS[t] for t in accepted]
        listed = kinds[0]
        if len(kinds) > 1:
            listed = Phrase("err.part.or_list", items=", ".join(kinds[:-1]), last=kinds[-1])
        raise EvidenceRejected(
            key="err.evidence.type_hint" if hint else "err.evidence.type",
            what=what,
            hint=hint,
            listed=listed,
            reason="type",
            file_name=shown,
            detected=detected,
        )
    return Intake(
        sha256=hashlib.sha256(data).hexdigest(),
        size=size,
        media_type=media_type,
        safe_name=_with_extension(shown, media_type),
    )


def safe_file_name(name: str) -> str:
    """A file name that is safe to store, show and offer for download; never empty.

    Keeps only the last path component (``/`` and ``\\`` both separate), so
    ``../../etc/passwd`` becomes ``passwd``; drops control and format characters (including
    right-to-left overrides that disguise an extension), turns newlines and tabs into spaces,
    replaces ``< > : " | ? *`` with ``_``, strips leading dots and trailing dots/spaces, prefixes
    Windows device names (``CON.txt`` → ``_CON.txt``) and shortens to 120 characters keeping the
    extension. Letters of any script stay as they are (NFKC-normalised).
    """
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join(
        " " if ch.isspace() else ch for ch in text if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _FORBIDDEN_CHARS.sub("_", text)
    text = _SPACES.sub(" ", text).strip().lstrip(". ").rstrip(". ")
    if not text:
        return DEFAULT_NAME
    if text.split(".", 1)[0].strip().lower() in _WINDOWS_RESERVED:
        text = "_" + text
    return _shorten(text)


def _detect(data: bytes, shown: str) -> tuple[str | None, str, str]:
    """(media type or None, what it looks like in words, what to do) from the content."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF, "PDF", ""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG, "PNG", ""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG, "JPG", ""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP, "WEBP", ""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF, "GIF", ""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _detect_zip(data)
    if head.startswith(b"MZ") and b"\x00" in data[:64]:
        return None, Phrase("err.part.detected.win"), ""
    if head.startswith(b"\x7fELF"):
        return None, Phrase("err.part.detected.linux"), ""
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"):
        return None, Phrase("err.part.detected.macos"), ""
    if head.startswith(b"\xca\xfe\xba\xbe"):
        return None, Phrase("err.part.detected.java"), ""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return (
            None,
            Phrase("err.part.detected.old_office"),
            Phrase("err.part.hint.old_office"),
        )
    if head.startswith(b"Rar!\x1a\x07"):
        return None, Phrase("err.part.detected.rar"), Phrase("err.part.hint.extract")
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return None, Phrase("err.part.detected.7z"), Phrase("err.part.hint.extract")
    if head.startswith(b"\x1f\x8b"):
        return None, Phrase("err.part.detected.gzip"), Phrase("err.part.hint.extract")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return None, Phrase("err.part.detected.tiff"), Phrase("err.part.hint.png_jpg_pdf")
    if head.startswith(b"BM") and b"\x00" in data[:16]:
        return None, Phrase("err.part.detected.bmp"), Phrase("err.part.hint.png_jpg")
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return (
            None,
            Phrase("err.part.detected.heic"),
            Phrase("err.part.hint.heic"),
        )
    return _detect_text(data, shown)


def _detect_zip(data: bytes) -> tuple[str | None, str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            members = set(names)
            if names and names[0] == "mimetype":
                with archive.open("mimetype") as member:
                    declared = member.read(100).decode("ascii", "replace").strip()
                if declared in (ODT, ODS, ODP):
                    return declared, _LABELS[declared], ""
                return None, Phrase("err.part.detected.odf"), Phrase("err.part.hint.odf")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        EOFError,
        RuntimeError,
        ValueError,
        zlib.error,
    ):
        return None, Phrase("err.part.detected.zip_bad"), Phrase("err.part.hint.zip_bad")
    if "[Content_Types].xml" in members:
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            return (
                None,
                Phrase("err.part.detected.macro"),
                Phrase("err.part.hint.macro"),
            )
        if "word/document.xml" in members:
            return DOCX, "DOCX", ""
        if "xl/workbook.xml" in members:
            return XLSX, "XLSX", ""
        if "ppt/presentation.xml" in members:
            return PPTX, "PPTX", ""
    return None, Phrase("err.part.detected.zip"), Phrase("err.part.hint.extract")


def _detect_text(data: bytes, shown: str) -> tuple[str | None, str, str]:
    if b"\x00" in data:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None, Phrase("err.part.detected.utf16"), Phrase("err.part.hint.utf16")
        return None, Phrase("err.part.detected.binary"), ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return (
            None,
            Phrase("err.part.detected.not_utf8"),
            Phrase("err.part.hint.not_utf8"),
        )
    if _BINARY_CONTROLS.search(text):
        return None, Phrase("err.part.detected.binary"), ""
    start = data[:4096].lower()
    lead = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    if b"<svg" in start:
        return None, Phrase("err.part.detected.svg"), Phrase("err.part.hint.png_pdf")
    if lead.startswith(_HTML_SNIFF) or any(tag in start for tag in _MARKUP_ANYWHERE):
        return None, Phrase("err.part.detected.html"), Phrase("err.part.hint.html")
    if lead.startswith(b"<?xml"):
        return None, Phrase("err.part.detected.xml"), Phrase("err.part.hint.pdf_docx_xlsx")
    if lead.startswith(b"#!"):
        return None, Phrase("err.part.detected.script"), ""
    if shown.lower().endswith(".csv"):
        return CSV, "CSV", ""
    return TEXT, "TXT", ""


def _split_extension(name: str) -> tuple[str, str]:
    """("laporan", "pdf") for "laporan.pdf"; ("laporan", "") when there is no plausible extension."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not _EXTENSION.fullmatch(ext):
        return name, ""
    return stem, ext


def _with_extension(name: str, media_type: str) -> str:
    extensions = ALLOWED[media_type]
    stem, ext = _split_extension(name)
    if ext.lower() in extensions:
        return name
    if ext.lower() in _KNOWN_EXTENSIONS:
        inner_stem, inner_ext = _split_extension(stem)
        if inner_ext.lower() in extensions:  # "surat.pdf.exe" holding a PDF → "surat.pdf"
            return _shorten(stem)
        name = stem.rstrip(". ") or DEFAULT_NAME
    return _shorten(f"{name}.{extensions[0]}")


def _accepted(allowed: Collection[str]) -> list[str]:
    unknown = set(allowed) - ALLOWED.keys()
    if unknown:
        raise ValueError(f"unknown media types in allowed: {sorted(unknown)}")
    return [t for t in ALLOWED if t in allowed]


def _shorten(name: str) -> str:
    """At most 120 characters and 240 UTF-8 bytes, cutting the stem and keeping the extension."""
    stem, ext = _split_extension(name)
    suffix = f".{ext}" if ext else ""
    stem = stem[: MAX_NAME_CHARS - len(suffix)]
    while stem and len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    return (stem or DEFAULT_NAME) + suffix


def _format_size(n: int, *, up: bool = False) -> str:
    """Sizes in the Indonesian style: "20 MB", "25,4 MB", "512 KB", "900 byte"."""
    rounding = math.ceil if up else math.floor
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            value = rounding(n * 10 / factor) / 10
            text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
    return f"{n} byte"
