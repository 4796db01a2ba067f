"""The public survey page: no login, reached by ?s=CODE (or the code typed in). Thin: widgets → service."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.surveys.errors import SurveyRefused
from services.surveys.links import KIOSK_PARAM, PUBLIC_PARAM
from services.surveys.public import open_survey, submit
from ui.i18n import t
from ui.resources import connection
from ui.sections import survey_form


def render() -> None:
    survey_form.style()
    survey_form.language_switch()
    code = str(st.query_params.get(PUBLIC_PARAM) or "")
    if not code:
        st.title(t("survey.page_title"), anchor=False)
        survey_form.code_entry()
        return
    con = connection()
    kiosk = str(st.query_params.get(KIOSK_PARAM) or "")
    cache_key = f"survey_open:{code}:{kiosk}"
    try:
        # what the page shows is read once per visit; sending re-checks everything (a link closed meanwhile)
        public = st.session_state.get(cache_key) or open_survey(con, code, kiosk_token=kiosk)
        st.session_state[cache_key] = public
    except SurveyRefused as exc:
        st.title(t("survey.page_title"), anchor=False)
        survey_form.code_entry(t(f"survey.err.{exc.code}"))
        return
    survey_form.device_token()  # set the device cookie on the first view, outside the form that gets replaced
    survey_form.header(public)
    done_key = f"survey_done:{public.link.code}"
    if st.session_state.get(done_key):
        survey_form.thank_you(public)
        return
    form_area = st.empty()  # replaced by the thank-you in the same run: no second rerun after sending
    with form_area.container():
        submission = survey_form.questions_form(public)
    if submission is None:
        return
    try:
        submit(con, submission)
    except SurveyRefused as exc:
        st.error(t(f"survey.err.{exc.code}"))
        return
    except KepatuhanError:  # storage trouble: nothing half-written, sending again is safe
        st.error(t("survey.err.storage"))
        return
    st.session_state[done_key] = True
    form_area.empty()
    survey_form.thank_you(public)
