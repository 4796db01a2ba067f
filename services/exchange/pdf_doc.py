"""An A4 document in Bahasa Indonesia with fpdf2: headings, text, tables and bar charts drawn from rectangles.

Pure Python, no browser (design D6). Text uses DejaVu Sans when the font files are installed (Debian's
fonts-dejavu-core, or a folder named by KEPATUHAN_PDF_FONTS); otherwise the PDF core font Helvetica,
with the few characters it lacks replaced (— → -, · → -, ≥ → >=, …).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts/dejavu",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
ZONE_RGB = {"hijau": (26, 127, 55), "kuning": (212, 161, 6), "merah": (198, 40, 40), None: (107, 114, 128)}
ZONE_LIGHT = {"hijau": (198, 239, 206), "kuning": (255, 235, 156), "merah": (255, 199, 206)}
HEADER_RGB = (31, 56, 100)
GREY = (229, 231, 235)
_LATIN1 = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "·": "-",
        "…": "...",
        "≥": ">=",
        "≤": "<=",
        "“": '"',
        "”": '"',
        "’": "'",
        "‘": "'",
        "×": "x",
        "→": "->",
        "•": "-",
        "✓": "v",
    }
)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def find_font() -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans files, or None when none are installed."""
    dirs = [os.environ["KEPATUHAN_PDF_FONTS"]] if os.environ.get("KEPATUHAN_PDF_FONTS") else []
    for folder in [*dirs, *FONT_DIRS]:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class Document(FPDF):
    """A4 portrait, 15 mm margins, page footer 'halaman n dari N'."""

    def __init__(self, title: str, footer_text: str, *, unicode: bool | None = None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_title(title)
        self.set_creator("Kepatuhan")
        self.set_lang("id")
        fonts = find_font() if unicode is not False else None
        if fonts:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.unicode = bool(fonts)
        self.alias_nb_pages()
        self.add_page()

    # ---- text ---------------------------------------------------------------------------------

    def clean(self, text: object) -> str:
        text = "" if text is None else str(text)
        if self.unicode:
            return text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.font(7)
        self.set_text_color(107, 114, 128)
        self.cell(0, 5, self.clean(f"{self.footer_text} · halaman {self.page_no()} dari {{nb}}"), align="C")
        self.set_text_color(0, 0, 0)

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def heading(self, text: str, size: float = 13) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.font(size, bold=True)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, size: float = 9.5, bold: bool = False) -> None:
        self.font(size, bold)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def key_values(self, items: Sequence[tuple[str, str]], key_width: float = 42) -> None:
        for key, value in items:
            self.font(9, bold=True)
            self.cell(key_width, 5, self.clean(key))
            self.font(9)
            self.multi_cell(0, 5, self.clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def score_boxes(self, boxes: Sequence[tuple[str, str, tuple[int, int, int] | None]]) -> None:
        """A row of boxes: (caption, big text, fill colour or None)."""
        width = self.epw / len(boxes)
        top = self.get_y()
        for n, (caption, value, fill) in enumerate(boxes):
            x = self.l_margin + n * width
            self.set_fill_color(*(fill or (243, 244, 246)))
            self.rect(x + 1, top, width - 2, 20, style="F")
            light = fill is not None and sum(fill) < 420
            self.set_text_color(*((255, 255, 255) if light else (17, 24, 39)))
            self.set_xy(x + 3, top + 2)
            self.font(8)
            self.cell(width - 6, 4, self.clean(caption))
            self.set_xy(x + 3, top + 8)
            self.font(14 if len(value) < 18 else 10, bold=True)
            self.cell(width - 6, 8, self.clean(value))
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, top + 23)

    # ---- tables -------------------------------------------------------------------------------

    def grid(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        fills: Sequence[Sequence[tuple[int, int, int] | None]] | None = None,
        align: Sequence[str] | None = None,
        size: float = 8,
    ) -> None:
        """A table with a repeated header row; fills[r][c] colours one cell."""
        self.font(size)
        self.set_fill_color(255, 255, 255)  # cells without their own fill stay white
        self.set_text_color(0, 0, 0)
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=HEADER_RGB)
        with self.table(
            col_widths=tuple(widths),
            width=sum(widths),
            align="LEFT",
            text_align=tuple(align) if align else "LEFT",
            headings_style=heading,
            line_height=size * 0.48,
            padding=0.8,
            borders_layout="SINGLE_TOP_LINE",
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            head = table.row()
            for h in headers:
                head.cell(self.clean(h))
            for r, values in enumerate(rows):
                row = table.row()
                for c, value in enumerate(values):
                    fill = fills[r][c] if fills else None
                    row.cell(self.clean(value), style=FontFace(fill_color=fill) if fill else None)
        self.ln(2)

    def lines_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        fills: Sequence[Sequence[tuple[int, int, int] | None]] | None = None,
        align: Sequence[str] | None = None,
        size: float = 7.5,
    ) -> None:
        """A long table of one-line rows (text clipped with …), header repeated on every page.

        Drawn with rect() and text() rather than cell(): several times faster, which a region of hundreds of
        units needs.
        """
        height = size * 0.55
        aligns = list(align) if align else ["LEFT"] * len(widths)

        def line(values: Sequence[object], colours: Sequence[tuple[int, int, int] | None], h: float) -> None:
            y, x = self.get_y(), self.l_margin
            for value, w, a, fill in zip(values, widths, aligns, colours, strict=True):
                if fill:
                    self.set_fill_color(*fill)
                    self.rect(x, y, w, h, style="F")
                text, width = _fit(self, str(value), w)
                left = x + 0.6 if a == "LEFT" else x + w - 0.6 - width if a == "RIGHT" else x + (w - width) / 2
                self.text(left, y + h / 2 + size * 0.13, text)
                x += w
            self.set_y(y + h)

        def header() -> None:
            self.font(size, bold=True)
            self.set_text_color(255, 255, 255)
            line(headers, [HEADER_RGB] * len(widths), height + 1)
            self.set_text_color(0, 0, 0)
            self.font(size)

        header()
        for r, values in enumerate(rows):
            if self.get_y() + height > self.h - self.b_margin:
                self.add_page()
                header()
            stripe = (249, 250, 251) if r % 2 else None
            line(values, [(fills[r][c] if fills else None) or stripe for c in range(len(widths))], height)
        self.ln(2)

    # ---- charts -------------------------------------------------------------------------------

    def bar_chart(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        maximum: float,
        colours: Sequence[tuple[int, int, int]],
        *,
        value_text: Sequence[str] | None = None,
        label_width: float = 60,
        bar_height: float = 5.5,
        marks: Sequence[tuple[float, str]] = (),
    ) -> None:
        """Horizontal bars on a grey track of the full maximum; marks are dashed vertical lines (e.g. band minima)."""
        track = self.epw - label_width - 22
        needed = len(labels) * (bar_height + 1.6) + 8
        if self.get_y() + needed > self.h - self.b_margin:
            self.add_page()
        top = self.get_y()
        x0 = self.l_margin + label_width
        for n, (label, value) in enumerate(zip(labels, values, strict=True)):
            y = top + n * (bar_height + 1.6)
            self.font(7.5)
            self.set_xy(self.l_margin, y)
            self.cell(label_width - 2, bar_height, self.clean(_clip(label, 48)), align="R")
            self.set_fill_color(*GREY)
            self.rect(x0, y, track, bar_height, style="F")
            self.set_fill_color(*colours[n])
            share = max(0.0, min(1.0, value / maximum)) if maximum else 0.0
            if share > 0:
                self.rect(x0, y, track * share, bar_height, style="F")
            self.set_xy(x0 + track + 1, y)
            self.cell(20, bar_height, self.clean(value_text[n] if value_text else f"{value:g}"))
        bottom = top + len(labels) * (bar_height + 1.6)
        for at, caption in marks:
            x = x0 + track * max(0.0, min(1.0, at / maximum))
            self.set_draw_color(55, 65, 81)
            self.set_dash_pattern(dash=0.8, gap=0.8)
            self.line(x, top - 1, x, bottom)
            self.set_dash_pattern()
            self.font(6)
            self.set_xy(x - 8, bottom)
            self.cell(16, 3, self.clean(caption), align="C")
        self.set_draw_color(0, 0, 0)
        self.set_xy(self.l_margin, bottom + (5 if marks else 2))

    def legend(self, items: Sequence[tuple[str, tuple[int, int, int]]]) -> None:
        self.font(7.5)
        x = self.l_margin
        y = self.get_y()
        for text, colour in items:
            self.set_fill_color(*colour)
            self.rect(x, y + 1, 3, 3, style="F")
            self.set_xy(x + 4, y)
            width = self.get_string_width(self.clean(text)) + 8
            self.cell(width, 5, self.clean(text))
            x += width + 4
        self.set_xy(self.l_margin, y + 7)


def share_rgb(share: float | None) -> tuple[int, int, int] | None:
    """Red → yellow → green by share of the maximum (the heatmap's scale), light enough for black text."""
    if share is None:
        return None
    s = max(0.0, min(1.0, share))
    red, yellow, green = (248, 180, 180), (253, 230, 138), (167, 222, 178)
    a, b, t = (red, yellow, s / 0.5) if s < 0.5 else (yellow, green, (s - 0.5) / 0.5)
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))  # type: ignore[return-value]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _fit(doc: Document, text: str, width: float) -> tuple[str, float]:
    """(text shortened with … until it fits a cell of this width, its width)."""
    text = doc.clean(text)
    room = width - 1.2
    measured = doc.get_string_width(text)
    if measured <= room:
        return text, measured
    ellipsis = doc.clean("…")
    while text:
        text = text[: max(0, int(len(text) * 0.9) - 1)] if len(text) > 12 else text[:-1]
        measured = doc.get_string_width(text.rstrip() + ellipsis)
        if measured <= room:
            break
    return text.rstrip() + ellipsis, measured
