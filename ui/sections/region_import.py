"""The Excel import on the region page: answers filled offline in the template come back in (admin only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.errors import KepatuhanError
from services.access import Actor
from services.exchange.import_xlsx import ImportRejected, import_answers
from services.views import Period
from ui.feedback import show_error
from ui.i18n import t
from ui.resources import connection

COUNTER = "_region_import_n"
DONE = "_region_import_done"


def import_panel(actor: Actor, period: Period) -> None:
    """An uploader and a button; a refused file lists every bad row, and nothing is saved."""
    if not actor.is_admin:
        return
    n = st.session_state.get(COUNTER, 0)
    done = st.session_state.pop(DONE, None)
    with st.expander(t("region.import.title"), icon=":material/upload_file:", expanded=done is not None):
        if done:
            st.success(done, icon=":material/check_circle:")
        st.caption(t("region.import.help", period=period.name))
        upload = st.file_uploader(t("region.import.file"), type=["xlsx"], key=f"region_import_{n}")
        if upload is None or not st.button(t("region.import.go"), key="region_import_go", type="primary"):
            return
        try:
            result = import_answers(connection(), actor, upload.getvalue(), file_name=upload.name)
        except ImportRejected as exc:
            st.error(t("region.import.rejected", n=len(exc.problems)), icon=":material/block:")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("region.import.sheet"): p.sheet,
                            t("region.import.row"): p.row,
                            t("region.import.reason"): p.reason,
                        }
                        for p in exc.problems
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
            return
        except KepatuhanError as exc:
            show_error(exc, icon=":material/block:")
            return
        st.session_state[DONE] = t(
            "region.import.done",
            period=result.period,
            written=result.written,
            units=result.units,
            unchanged=result.unchanged,
        )
        st.session_state[COUNTER] = n + 1
        st.rerun()
