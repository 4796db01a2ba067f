"""A printable A4 poster for a counter: the survey's QR code, its short code and two lines of instructions."""

from __future__ import annotations

import io

import duckdb
import qrcode
from fpdf.enums import XPos, YPos

from services.access import Actor, require_read
from services.exchange.pdf_doc import Document
from services.surveys.definitions import pinned_survey
from services.surveys.errors import SurveyAdminError
from services.surveys.links import public_base, public_url
from store import surveys as store
from store import units


def qr_png(text: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=12, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def poster_pdf(con: duckdb.DuckDBPyConnection, actor: Actor, *, link_id: int) -> bytes:
    link = store.link_by_id(con, link_id=link_id)
    if link is None:
        raise SurveyAdminError(key="err.survey.link_not_found")
    require_read(actor, link.unit_id)
    unit = units.get_unit(con, unit_id=link.unit_id)
    survey = pinned_survey(con, period_id=link.period_id, survey_id=link.survey_id)
    assert unit is not None and survey is not None
    product = units.product_by_code(con, unit_id=unit.id, code=link.product_code) if link.product_code else None
    url = public_url(link.code)
    doc = Document(f"Poster {survey.title.id} — {unit.name}", "Kepatuhan · survei layanan publik")
    doc.set_auto_page_break(False)
    doc.font(30, bold=True)
    doc.multi_cell(0, 13, doc.clean(survey.title.id), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.font(16)
    where = unit.name + (f" — {product.name}" if product else "") + (f" ({link.counter})" if link.counter else "")
    doc.multi_cell(0, 8, doc.clean(where), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    size = 120
    doc.image(io.BytesIO(qr_png(url)), x=(doc.w - size) / 2, y=doc.get_y() + 6, w=size, h=size)
    doc.set_y(doc.get_y() + size + 12)
    doc.font(17, bold=True)
    lines = (
        "1. Pindai kode QR ini dengan kamera ponsel Anda.",
        f"2. Atau buka {public_base()}/survei dan ketik kode:",
    )
    for line in lines:
        doc.multi_cell(0, 9, doc.clean(line), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.font(44, bold=True)
    doc.cell(0, 22, " ".join(link.code), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.font(11)
    doc.multi_cell(
        0, 6, doc.clean(f"{survey.intro.id}\n{survey.intro.en or ''}"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    doc.font(8)
    doc.cell(0, 5, doc.clean(url), align="C")
    return bytes(doc.output())
