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
/* page links (e.g. each indicator missing its evidence) wrap instead of being cut off */
[data-testid="stPageLink"] a { height: auto !important; min-height: 2rem; align-items: flex-start; }
[data-testid="stPageLink"] a * { white-space: normal !important; text-overflow: clip !important;
  overflow: visible !important; }
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


# Texts Streamlit writes in English whatever the app's language, with no option to change them: the file
# uploader's button and size limit, the "Help for …" names of help icons, the password eye, the "Press Enter"
# hint. In the Indonesian UI a watcher rewrites them as they appear (the English UI keeps Streamlit's own).
_INDONESIAN_CHROME = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  win.__kpChromeOff = false;
  if (win.__kpChrome) return;
  win.__kpChrome = true;
  const labels = [
    [/^Help for (.*)$/, "Bantuan untuk $1"],
    [/^Show password$/, "Tampilkan sandi"],
    [/^Hide password$/, "Sembunyikan sandi"],
  ];
  const texts = [
    [/^Upload$/, "Pilih berkas"],
    [/^Upload directories$/, "Pilih folder"],
    [/^(\\S+) per file$/, "maks. $1 per berkas"],
    [/^Press Enter to apply$/, "Tekan Enter untuk menyimpan"],
    [/^Press Enter to submit form$/, "Tekan Enter untuk mengirim"],
    [/^Press (.+)\\+Enter to apply$/, "Tekan $1+Enter untuk menyimpan"],
  ];
  const swap = (value, rules) => {
    for (const [re, to] of rules) if (re.test(value)) return value.replace(re, to);
    return null;
  };
  const fix = () => {
    if (win.__kpChromeOff) return;
    for (const el of doc.querySelectorAll("[aria-label]")) {
      const to = swap(el.getAttribute("aria-label"), labels);
      if (to !== null) el.setAttribute("aria-label", to);
    }
    const scope = doc.querySelectorAll(
      '[data-testid="stFileUploaderDropzone"], [data-testid="InputInstructions"]'
    );
    for (const root of scope) {
      const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const to = swap(node.nodeValue.trim(), texts);
        if (to !== null) node.nodeValue = to;
      }
    }
  };
  let queued = false;
  new win.MutationObserver(() => {
    if (queued) return;
    queued = true;
    win.requestAnimationFrame(() => { queued = false; fix(); });
  }).observe(doc.body, {childList: true, subtree: true, characterData: true});
  fix();
})();
</script>
"""


_CHROME_OFF = """<script>
(() => { const doc = window.parent && window.parent.document ? window.parent.document : document;
  (doc.defaultView || window).__kpChromeOff = true; })();
</script>"""


def apply_layout(language: str = "id") -> None:
    st.html(_CSS)
    st.html(_COLLAPSE_ON_TABLETS, unsafe_allow_javascript=True)
    if language == "id":
        st.html(_INDONESIAN_CHROME, unsafe_allow_javascript=True)
    else:  # the watcher stays installed in the tab; tell it to stand still
        st.html(_CHROME_OFF, unsafe_allow_javascript=True)
