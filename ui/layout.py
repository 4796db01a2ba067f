"""Page-wide style fixes for tablets (800 px) and phones (390 px), and Streamlit texts that cannot be set
through its API. Injected once per full run from app.py; fragments rerun inside the page and keep it."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
/* tallies: no +/- buttons, so Tab goes from one count to the next */
[class*="st-key-tally-"] [data-testid="stNumberInputStepDown"],
[class*="st-key-tally-"] [data-testid="stNumberInputStepUp"] { display: none; }
/* labels and texts wrap between words, never inside one */
[data-testid="stMarkdownContainer"], [data-testid="stWidgetLabel"], [data-testid="stCaptionContainer"],
[data-testid="stRadio"] label, [data-testid="stMarkdownContainer"] p {
  overflow-wrap: anywhere; word-break: normal; hyphens: manual;
}
[data-testid="stRadio"] label p, [data-testid="stWidgetLabel"] p { overflow-wrap: break-word; }
/* a headline figure is shown whole: it wraps rather than ending in "…" */
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere;
}
/* in-page links land below Streamlit's top bar */
.kp-anchor { scroll-margin-top: 4.5rem; }
[data-testid="stHeading"] { scroll-margin-top: 4.5rem; }
/* nothing may push the page sideways on a narrow screen */
[data-testid="stMain"] { overflow-x: hidden; }
[data-testid="stMainBlockContainer"] { max-width: 100%; }
[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stTable"] { max-width: 100%; }
[data-testid="stTable"] { overflow-x: auto; }
@media (max-width: 1000px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; padding-top: 3.5rem; }
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] { min-width: min(100%, 14rem); }
}
@media (max-width: 640px) {
  h1 { font-size: 1.7rem !important; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] { min-width: 100%; }
}
</style>
"""


# Streamlit collapses the sidebar by itself only below 768 px; the 800 px tablets of the village posts need it
# too. Once per page load (the user may open it again), only on a narrow screen.
_COLLAPSE_ON_TABLETS = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  if (win.innerWidth > 1000 || win.__kpSidebarAuto) return;
  win.__kpSidebarAuto = true;
  let tries = 0;
  const timer = setInterval(() => {
    tries += 1;
    const bar = doc.querySelector('[data-testid="stSidebar"]');
    const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (bar && button && bar.getAttribute("data-collapsed") === "false") {
      button.click();
      clearInterval(timer);
    } else if ((bar && bar.getAttribute("data-collapsed") === "true") || tries > 100) {
      clearInterval(timer);
    }
  }, 30);
})();
</script>
"""


def apply_layout() -> None:
    st.html(_CSS)
    st.html(_COLLAPSE_ON_TABLETS, unsafe_allow_javascript=True)
