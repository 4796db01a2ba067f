"""Evidence intake: types judged by content, sizes, safe names; every refusal says what to do."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence import ALLOWED, MAX_BYTES, EvidenceRejected, Intake, inspect, safe_file_name
from evidence.intake import DOCX, ODS, ODT, PPTX, XLSX
from services.ops.demo import sample_png

ALLOWED_HINT = "Unggah PDF, JPG, PNG, WEBP, GIF, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV atau TXT."


# -- tiny valid files, built with the standard library ---------------------------------------


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    return sample_png(width, height, rgb=(255, 0, 0))


def jpeg_bytes() -> bytes:
    # SOI, APP0/JFIF header, then EOI: enough for magic-byte detection.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def webp_bytes() -> bytes:
    body = b"WEBPVP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def gif_bytes() -> bytes:
    return b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def zip_bytes(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), members[stored_first], zipfile.ZIP_STORED)
        for name, body in members.items():
            if name != stored_first:
                archive.writestr(name, body)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet/>",
        }
    )


def pptx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p:presentation/>"})


def odf_bytes(media_type: str) -> bytes:
    return zip_bytes(
        {"mimetype": media_type.encode(), "content.xml": b"<office:document-content/>"}, stored_first="mimetype"
    )


GOOD = [
    ("Foto papan informasi.png", png_bytes(), "image/png", "Foto papan informasi.png"),
    ("IMG_0001.JPG", jpeg_bytes(), "image/jpeg", "IMG_0001.JPG"),
    ("foto.jpeg", jpeg_bytes(), "image/jpeg", "foto.jpeg"),
    ("SK Standar Pelayanan 2024.pdf", pdf_bytes(), "application/pdf", "SK Standar Pelayanan 2024.pdf"),
    ("maklumat.webp", webp_bytes(), "image/webp", "maklumat.webp"),
    ("antrean.gif", gif_bytes(), "image/gif", "antrean.gif"),
    ("Laporan SKM.docx", docx_bytes(), DOCX, "Laporan SKM.docx"),
    ("Rekap pengaduan.xlsx", xlsx_bytes(), XLSX, "Rekap pengaduan.xlsx"),
    ("paparan.pptx", pptx_bytes(), PPTX, "paparan.pptx"),
    ("notulen.odt", odf_bytes(ODT), ODT, "notulen.odt"),
    ("rekap.ods", odf_bytes(ODS), ODS, "rekap.ods"),
    ("responden.csv", b"no;nama;nilai\n1;Siti Aminah;4\n2;Budi;3\n", "text/csv", "responden.csv"),
    ("catatan.txt", b"Catatan kunjungan: ruang tunggu bersih.\n", "text/plain", "catatan.txt"),
    ("bom.csv", b"\xef\xbb\xbfno,nama\n1,Ani\n", "text/csv", "bom.csv"),
]


@pytest.mark.parametrize(("name", "data", "media_type", "safe_name"), GOOD, ids=[g[0] for g in GOOD])
def test_accepts_each_allowed_type(name, data, media_type, safe_name):
    intake = inspect(data, name)
    assert intake == Intake(
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type=media_type, safe_name=safe_name
    )
    assert intake.media_type in ALLOWED
    assert intake.is_image == media_type.startswith("image/")
    assert intake.is_pdf == (media_type == "application/pdf")


def test_intake_is_frozen():
    intake = inspect(pdf_bytes(), "a.pdf")
    with pytest.raises(AttributeError):
        intake.size = 1  # type: ignore[misc]


def test_magic_header_alone_is_enough_for_images_and_pdf():
    assert inspect(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "x.png").media_type == "image/png"
    assert inspect(b"%PDF-1.7\n" + bytes(range(256)), "x.pdf").is_pdf


# -- sizes -----------------------------------------------------------------------------------


def test_empty_file_is_refused():
    with pytest.raises(EvidenceRejected) as err:
        inspect(b"", "laporan.pdf")
    assert err.value.reason == "empty"
    assert str(err.value) == (
        "Berkas 'laporan.pdf' kosong (0 byte). Periksa berkasnya di komputer Anda lalu unggah lagi."
    )


def test_default_limit_is_20_mib():
    assert MAX_BYTES == 20 * 1024 * 1024


def test_too_large_file_is_refused_with_sizes_in_mb():
    data = b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024)
    with pytest.raises(EvidenceRejected) as err:
        inspect(data, "scan.pdf")
    assert err.value.reason == "too_large"
    message = str(err.value)
    assert message.startswith("Berkas 'scan.pdf' terlalu besar (25,1 MB); batasnya 20 MB.")
    assert "Perkecil berkasnya" in message and "unggah lagi" in message


def test_one_byte_over_the_limit_is_never_shown_as_equal_to_it():
    data = b"%PDF-" + b"0" * (MAX_BYTES - 4)
    assert len(data) == MAX_BYTES + 1
    with pytest.raises(EvidenceRejected, match=r"\(20,1 MB\); batasnya 20 MB"):
        inspect(data, "a.pdf")
    assert inspect(data[:-1], "a.pdf").size == MAX_BYTES


def test_limit_is_configurable():
    with pytest.raises(EvidenceRejected, match=r"terlalu besar \(3 MB\); batasnya 2 MB"):
        inspect(b"%PDF-" + b"0" * (3 * 1024 * 1024 - 5), "a.pdf", max_bytes=2 * 1024 * 1024)
    assert inspect(pdf_bytes(), "a.pdf", max_bytes=len(pdf_bytes())).is_pdf


# -- wrong types -----------------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 100
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x()</script></svg>'

BAD = [
    ("exe renamed .pdf", EXE, "laporan.pdf", "program Windows", ""),
    ("elf renamed .docx", ELF, "surat.docx", "program Linux", ""),
    ("html renamed .png", HTML, "foto.png", "halaman web (HTML/skrip)", "simpan halamannya sebagai PDF"),
    ("html with leading spaces", b"\n  <html><p>hi</p></html>", "x.txt", "halaman web (HTML/skrip)", ""),
    ("script tag inside text", b"nama,nilai\n<script>alert(1)</script>,3\n", "a.csv", "halaman web (HTML/skrip)", ""),
    ("svg", SVG, "logo.svg", "gambar SVG (dapat berisi skrip)", "Simpan ulang sebagai PNG atau PDF."),
    ("svg renamed .png", b"<svg onload=alert(1)></svg>", "logo.png", "gambar SVG (dapat berisi skrip)", ""),
    (
        "random zip renamed .docx",
        zip_bytes({"readme.txt": b"hello", "setup.exe": EXE}),
        "dokumen.docx",
        "arsip ZIP yang bukan dokumen Office",
        "Ekstrak arsipnya",
    ),
    ("broken zip", b"PK\x03\x04" + b"\x00" * 40, "a.xlsx", "arsip ZIP yang rusak", ""),
    (
        "macro document",
        zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<d/>", "word/vbaProject.bin": b"\x00"}),
        "surat.docx",
        "dokumen Office dengan makro",
        "Simpan ulang tanpa makro",
    ),
    (
        "old office",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "laporan.doc",
        "dokumen Office lama (DOC/XLS/PPT) atau dokumen berkata sandi",
        "simpan ulang sebagai DOCX",
    ),
    ("rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 20, "bukti.rar", "arsip RAR", "Ekstrak arsipnya"),
    ("latin-1 text", "Kab. Bogor;Nilai;Pengaduan\xa0".encode("latin-1"), "a.csv", "bukan UTF-8", "CSV UTF-8"),
    ("utf-16 text", "nama,nilai\n".encode("utf-16"), "a.csv", "teks UTF-16", "UTF-8"),
    ("binary noise", bytes(range(1, 32)) * 3, "a.bin", "data biner yang tidak dikenal", ""),
    ("shell script", b"#!/bin/sh\nrm -rf /\n", "a.txt", "skrip program", ""),
    ("heic photo", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "IMG_1.HEIC", "foto HEIC", "Ubah fotonya ke JPG"),
]


@pytest.mark.parametrize(("case", "data", "name", "detected", "hint"), BAD, ids=[b[0] for b in BAD])
def test_refuses_wrong_types_with_what_was_found_and_what_to_do(case, data, name, detected, hint):
    with pytest.raises(EvidenceRejected) as err:
        inspect(data, name)
    message = str(err.value)
    assert err.value.reason == "type"
    assert message.startswith(f"Berkas '{name}' bukan jenis yang diizinkan (terdeteksi: ")
    assert detected in message
    assert hint in message
    assert message.endswith(ALLOWED_HINT)


def test_exe_message_is_exactly_the_documented_one():
    with pytest.raises(EvidenceRejected) as err:
        inspect(EXE, "x.exe")
    assert str(err.value) == f"Berkas 'x.exe' bukan jenis yang diizinkan (terdeteksi: program Windows). {ALLOWED_HINT}"


def test_text_starting_with_mz_is_still_text():
    assert inspect(b"MZ-01;Meja layanan 1\n", "meja.csv").media_type == "text/csv"


def test_allowed_can_be_narrowed_per_indicator():
    with pytest.raises(EvidenceRejected) as err:
        inspect(pdf_bytes(), "sk.pdf", allowed={"image/png", "image/jpeg"})
    assert str(err.value) == (
        "Berkas 'sk.pdf' bukan jenis yang diizinkan (terdeteksi: PDF, tidak diizinkan di sini). Unggah JPG atau PNG."
    )
    assert inspect(png_bytes(), "a.png", allowed={"image/png"}).is_image
    with pytest.raises(ValueError):
        inspect(png_bytes(), "a.png", allowed={"image/tiff"})


def test_rejection_message_uses_the_safe_name():
    with pytest.raises(EvidenceRejected) as err:
        inspect(EXE, "../../x\n<b>.exe")
    assert err.value.file_name == "x _b_.exe"
    assert "'x _b_.exe'" in str(err.value)
    assert "\n" not in str(err.value) and "<" not in str(err.value)


# -- names: safe, and agreeing with the content ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("/abs/path.pdf", "path.pdf"),
        ("C:\\Users\\Operator\\Documents\\SK Kepala Dinas.pdf", "SK Kepala Dinas.pdf"),
        ("C:laporan.pdf", "C_laporan.pdf"),
        ("laporan\x00.pdf", "laporan.pdf"),
        ("laporan\nbaru\r\n.pdf", "laporan baru.pdf"),
        ("tab\there.pdf", "tab here.pdf"),
        (".htaccess", "htaccess"),
        ("...", "berkas"),
        ("..", "berkas"),
        ("../", "berkas"),
        ("", "berkas"),
        ("   ", "berkas"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("lpt1.pdf", "_lpt1.pdf"),
        ("console.pdf", "console.pdf"),
        ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("laporan. ", "laporan"),
        ("Laporan Survei Kepuasan Masyarakat (SKM) Semester I 2024.pdf", None),
        ("Dinas Sosial – SLRT: rekomendasi PBI-JK.docx", "Dinas Sosial – SLRT_ rekomendasi PBI-JK.docx"),
        ("foto\u202egpj.exe", "fotogpj.exe"),  # right-to-left override cannot disguise the extension
        ("ａ／ｂ.pdf", "b.pdf"),  # fullwidth solidus is a separator after NFKC
        ("Cafe\u0301.pdf", "Café.pdf"),
    ],
)
def test_safe_file_name(raw, safe):
    assert safe_file_name(raw) == (raw if safe is None else safe)


def test_long_names_are_cut_to_120_characters_keeping_the_extension():
    name = safe_file_name("a" * 500 + ".pdf")
    assert len(name) == 120 and name.endswith(".pdf") and name.startswith("aaa")
    wide = safe_file_name("漢" * 300 + ".xlsx")
    assert wide.endswith(".xlsx") and len(wide.encode("utf-8")) <= 240


@given(st.text(max_size=600))
def test_safe_file_name_is_always_a_plain_single_component(raw):
    name = safe_file_name(raw)
    assert name
    assert len(name) <= 120 and len(name.encode("utf-8")) <= 240
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert name not in (".", "..")
    assert all(ch.isprintable() for ch in name)
    assert safe_file_name(name) == name


@pytest.mark.parametrize(
    ("raw", "data", "safe"),
    [
        ("foto.exe", png_bytes(), "foto.png"),
        ("scan.jpg", pdf_bytes(), "scan.pdf"),
        ("surat.pdf.exe", pdf_bytes(), "surat.pdf"),
        ("laporan", pdf_bytes(), "laporan.pdf"),
        ("data.2024", pdf_bytes(), "data.2024.pdf"),
        ("FOTO.JPEG", jpeg_bytes(), "FOTO.JPEG"),
        ("rekap.xls", xlsx_bytes(), "rekap.xlsx"),
        ("rekap.csv", xlsx_bytes(), "rekap.xlsx"),
        ("notes.csv.txt", b"a,b\n", "notes.csv.txt"),
        ("halaman.html", b"teks biasa\n", "halaman.txt"),
        ("../../etc/passwd", b"root:x:0:0\n", "passwd.txt"),
        ("a" * 200 + ".exe", png_bytes(), "a" * 116 + ".png"),
        (".pdf", pdf_bytes(), "pdf.pdf"),
    ],
)
def test_extension_is_made_to_agree_with_the_content(raw, data, safe):
    assert inspect(data, raw).safe_name == safe


@given(
    st.sampled_from([b"", b"PK\x03\x04", b"%PDF-", b"MZ", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<", b"\xef\xbb\xbf"]),
    st.binary(min_size=0, max_size=2000),
    st.text(max_size=50),
)
def test_any_bytes_are_either_accepted_or_refused_with_a_message(prefix, body, name):
    data = prefix + body
    try:
        intake = inspect(data, name)
    except EvidenceRejected as err:
        assert str(err).startswith("Berkas '") and "unggah" in str(err).lower()
    else:
        assert intake.media_type in ALLOWED and intake.size == len(data)
        assert intake.safe_name.lower().endswith(tuple("." + ext for ext in ALLOWED[intake.media_type]))


@pytest.mark.parametrize("cut", [30, 60, 100, 150, 200, -22, -10])
def test_truncated_or_damaged_office_files_are_refused_not_crashing(cut):
    data = bytearray(docx_bytes())
    damaged = bytes(data[:cut]) if cut > 0 else bytes(data[:cut])
    with pytest.raises(EvidenceRejected, match="terdeteksi: arsip ZIP"):
        inspect(damaged, "a.docx")


def test_corrupt_odf_mimetype_member_is_refused():
    data = bytearray(odf_bytes(ODT))
    start = data.index(b"application/vnd")
    data[start : start + 11] = b"\xff" * 11
    with pytest.raises(EvidenceRejected, match="terdeteksi: arsip ZIP"):
        inspect(bytes(data), "a.odt")
