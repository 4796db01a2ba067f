"""The list of indicators whose answer needs evidence that is not attached yet, each a link to its card."""

from __future__ import annotations

import streamlit as st

from assessment import Indicator
from services.answering.assessing import AssessmentView
from ui.i18n import number, t

JUMP_PARAM = "indikator"


def missing_evidence_links(
    view: AssessmentView, indicators: list[Indicator], at_risk: dict[str, float], page: st.Page | None
) -> None:
    """One line per indicator: its id and question, the points at risk, and a link that opens its card."""
    risky = [i for i in indicators if i.id in at_risk]
    if not risky:
        return
    st.warning(
        t("overview.evidence_missing_n", n=len(risky), points=number(sum(at_risk[i.id] for i in risky))),
        icon=":material/attach_file:",
    )
    for ind in risky:
        label = t("overview.evidence_link", id=ind.id, question=_short(ind.question), points=number(at_risk[ind.id]))
        if page is None:
            st.text(label)
            continue
        st.page_link(
            page,
            label=label,
            icon=":material/arrow_forward:",
            query_params={"periode": str(view.period.id), "unit": view.unit.code, JUMP_PARAM: ind.id},
        )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def scroll_to_requested_indicator(indicator_ids: list[str], anchor_of) -> None:
    """A link from elsewhere named an indicator of this page (?indikator=ID): scroll its card into view once."""
    wanted = st.query_params.get(JUMP_PARAM)
    if not wanted or wanted not in indicator_ids:
        return
    target = anchor_of(wanted)  # a slug of ours: letters, digits and dashes only
    st.html(
        f"""<script>
(() => {{
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  let tries = 0;
  const timer = setInterval(() => {{
    const el = doc.getElementById("{target}");
    if (el) {{ el.scrollIntoView({{block: "start"}}); clearInterval(timer); }}
    else if (++tries > 100) clearInterval(timer);
  }}, 50);
}})();
</script>""",
        unsafe_allow_javascript=True,
    )
