"""The one escaping helper: text a user typed (and criteria text) is shown exactly as typed.

Streamlit renders markdown (GitHub flavour, with autolinks, emoji shortcodes and :colour[...] directives) in
st.markdown, captions, headers, alerts, toasts, widget labels, radio options, tabs and expanders; plotly
renders a little HTML in labels and tooltips. `escape_markdown` makes a text inert for the first, and
`escape_chart` for the second. `t()` (ui.i18n) passes every interpolated value through escape_markdown, so
a catalog line such as "Unit {unit}" is safe whatever the unit is called.
"""

from __future__ import annotations

import html
import re

# every character that can start markup somewhere in a line; ":" stops "http://" autolinks, emoji and
# :red[...] directives, "@" e-mail autolinks, "&" entities, "!" images
_CONTROL = "\\`*_[]<>#|$~:@&!{}"
# a list item ("1. ", "- ", "+ ") or a setext underline ("===", "---"): only where a line starts
_LINE_START = re.compile(r"^([ \t]*)(\d+)([.)])(?=[ \t]|$)|^([ \t]*)([-+=])(?=[ \t]|$|[-=]*[ \t]*$)", re.MULTILINE)
_WWW = re.compile(r"(?i)\bwww\.")
# Streamlit links bare URLs and e-mail addresses in the rendered text, after escapes are resolved: an invisible
# word joiner after the scheme (and before "@") is the only thing that keeps "http://…" from becoming a link
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=\\?[:.])|(?=\\@)")


class Markup(str):
    """Markdown the app built itself from safe parts (a link to an anchor of ours): t() inserts it unescaped."""


def escape_markdown(text: object) -> str:
    """Text that Streamlit's markdown shows literally: no link, emphasis, heading, list, HTML or emoji."""
    text = str(text)
    out = []
    for ch in text:
        out.append("\\" + ch if ch in _CONTROL else ch)
    escaped = "".join(out)
    # a list number or bullet, a setext underline, or an indented code block only work at a line's start
    escaped = _LINE_START.sub(_escape_line_start, escaped)
    escaped = re.sub(r"(?m)^[ \t]+", "", escaped)
    escaped = _WWW.sub(lambda m: m.group(0)[:3] + "\\.", escaped)
    escaped = _AUTOLINK.sub(lambda m: (m.group(1) or "") + WORD_JOINER, escaped)
    # a line break the user typed stays a line break (markdown would join the lines)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(2) is not None:
        return f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
    return f"{m.group(4)}\\{m.group(5)}"


def escape_chart(text: object) -> str:
    """A plotly label or tooltip: plotly reads <b>, <a href>, <br> and entities in text, so escape HTML."""
    return html.escape(str(text), quote=False)
