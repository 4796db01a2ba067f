"""Evidence leaves the server as an attachment typed by its sniffed bytes; nothing uploaded is ever shown inline
as HTML, SVG or text, whatever the database record claims."""

from __future__ import annotations

import pytest

from services.answering.evidence_files import (
    OCTET_STREAM,
    attach_evidence,
    download_name,
    download_type,
    evidence_download,
)
from services.ops.demo import sample_png
from store import evidence_records

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attach(world, data: bytes, name: str):
    return attach_evidence(world.con, world.blobs, world.head, assessment_id=world.assessment,
                           indicator_id="IN-02", data=data, file_name=name)  # fmt: skip


@pytest.mark.parametrize(("data", "name", "media", "preview"), [
    (sample_png(4, 3), "papan.png", "image/png", "image"),
    (PDF_BYTES, "sk.pdf", "application/pdf", "pdf"),
    (b"nama,nilai\nA,1\n", "data.csv", "text/csv", None),
])  # fmt: skip
def test_accepted_files_download_with_their_sniffed_type(world, data, name, media, preview):
    record = _attach(world, data, name)
    out = evidence_download(world.con, world.blobs, world.head, evidence_id=record.id)
    assert (out.media_type, out.preview, out.data) == (media, preview, data)
    assert download_type(record.media_type) == media and download_name(record) == record.file_name


@pytest.mark.parametrize("stored_type", ["text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript"])
def test_a_record_altered_to_a_renderable_type_goes_out_as_bytes_named_bin(world, stored_type):
    record = _attach(world, sample_png(4, 3), "papan.png")
    world.con.execute("UPDATE evidence SET media_type = ?, file_name = 'halaman.html' WHERE id = ?",
                      [stored_type, record.id])  # fmt: skip
    altered = evidence_records.get(world.con, evidence_id=record.id)
    assert download_type(altered.media_type) == OCTET_STREAM
    assert download_name(altered).endswith(".bin") and not download_name(altered).endswith(".html")
    out = evidence_download(world.con, world.blobs, world.head, evidence_id=record.id)
    assert out.media_type == OCTET_STREAM and out.preview is None


@pytest.mark.parametrize("content", [HTML, SVG])
def test_markup_bytes_behind_an_image_record_are_never_previewed(world, content):
    # bytes that are a page or an SVG, under a record that says PNG (e.g. a restored, tampered store)
    record = _attach(world, sample_png(4, 3), "papan.png")
    sha = world.blobs.put(content)
    world.con.execute("UPDATE evidence SET sha256 = ? WHERE id = ?", [sha, record.id])
    out = evidence_download(world.con, world.blobs, world.head, evidence_id=record.id)
    assert out.media_type == OCTET_STREAM and out.preview is None and out.file_name.endswith(".bin")


def test_the_evidence_panel_never_renders_uploaded_markup(world):
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    source = (root / "ui" / "widgets" / "evidence_panel.py").read_text()
    # the only inline renderers are st.image / st.pdf, behind the sniffed preview; no html or markdown of content
    assert "st.html(" not in source and "unsafe_allow_html" not in source and "components.html" not in source
    assert 'file.preview == "image"' in source and 'file.preview == "pdf"' in source
