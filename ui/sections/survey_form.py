"""The public survey form (no login): big touch targets, id/en, honeypot, device cookie, server-side timing.

Everything the respondent types is handed to the service as text and never rendered back as markup.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import streamlit as st

from assessment.survey_defs import Survey
from services.surveys.links import KIOSK_PARAM, PUBLIC_PARAM, normalise_code
from services.surveys.public import PublicSurvey, Submission
from ui.i18n import LANG_KEY, lang, t
from ui.i18n.markdown import escape_markdown

DEVICE_COOKIE = "kepatuhan_perangkat"
DEVICE_KEY = "survey_device"
HONEYPOT_KEY = "survey_hp"
STYLE = """<style>
/* the honeypot: out of sight for people, still in the page for form-filling robots */
.st-key-survey_hp {position: absolute !important; left: -10000px !important; height: 1px; overflow: hidden;}
/* large touch targets on a phone */
div[data-testid="stRadio"] label {min-height: 44px; padding: 6px 4px; font-size: 1.05rem;}
div[data-testid="stRadio"] label p {font-size: 1.05rem;}
.stFormSubmitButton button, .stButton button {min-height: 48px; width: 100%; font-size: 1.1rem;}
/* every other control is a thumb-sized target too (WCAG 2.5.5, at least 44 x 44 CSS px) */
.st-key-survey_lang button {min-height: 44px; min-width: 44px; padding: 0 14px;}
div[data-testid="stTextInput"] div[data-baseweb="input"] {min-height: 48px;}
div[data-testid="stTextInput"] input {min-height: 46px; font-size: 1.05rem;}
header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem; max-width: 720px;}
</style>"""


def language_switch() -> None:
    choice = st.segmented_control(
        "Bahasa / Language",
        ["id", "en"],
        default=lang(),
        key="survey_lang",
        format_func=lambda c: {"id": "Bahasa Indonesia", "en": "English"}[c],
        label_visibility="collapsed",
    )
    if choice and choice != lang():
        st.session_state[LANG_KEY] = choice
        st.rerun()


def device_token() -> str:
    """A random token in a long-lived cookie: one answer per device per unit per day. Never user text."""
    token = st.session_state.get(DEVICE_KEY)
    if token:
        return token
    cookie = st.context.cookies.get(DEVICE_COOKIE)
    if isinstance(cookie, str) and 16 <= len(cookie) <= 64 and cookie.replace("-", "").replace("_", "").isalnum():
        token = cookie
    else:
        token = uuid.uuid4().hex
        st.html(
            f"<script>document.cookie = '{DEVICE_COOKIE}={token}; path=/; max-age=31536000; SameSite=Lax';</script>",
            unsafe_allow_javascript=True,
        )
    st.session_state[DEVICE_KEY] = token
    return token


def client_address() -> str:
    """The client's network address; behind a trusted reverse proxy, the first X-Forwarded-For hop."""
    if os.environ.get("KEPATUHAN_TRUSTED_PROXY") == "1":
        forwarded = st.context.headers.get("X-Forwarded-For") or ""
        if forwarded.strip():
            return forwarded.split(",")[0].strip()[:100]
    return str(getattr(st.context, "ip_address", "") or "")[:100]


def code_entry(message: str | None = None) -> None:
    """Ask for the code printed on the poster (also where a wrong or closed code lands)."""
    if message:
        st.warning(message)
    with st.form("survey_code_form"):
        typed = st.text_input(t("survey.code_label"), max_chars=16, placeholder="ABC234")
        if st.form_submit_button(t("survey.code_open"), type="primary", width="stretch"):
            st.query_params[PUBLIC_PARAM] = normalise_code(typed)
            st.rerun()


def header(public: PublicSurvey) -> None:
    survey = public.survey
    st.title(survey.title.in_(lang()), anchor=False)  # no 16 px "link to heading" target
    where = public.unit_name + (f" · {public.product_name}" if public.product_name else "")
    st.markdown(f"**{escape_markdown(where)}**")
    if public.kiosk_label:
        st.caption(t("survey.kiosk_mode", label=escape_markdown(public.kiosk_label)))
    st.caption(escape_markdown(survey.intro.in_(lang())))


def _form_state(code: str) -> dict[str, Any]:
    key = f"survey_state:{code}"
    if key not in st.session_state:
        st.session_state[key] = {"started": time.time(), "submission": uuid.uuid4().hex, "round": 0}
    return st.session_state[key]


def reset_form(code: str) -> None:
    state = _form_state(code)
    state.update(started=time.time(), submission=uuid.uuid4().hex, round=state["round"] + 1)
    st.session_state.pop(f"survey_done:{code}", None)


def questions_form(public: PublicSurvey) -> Submission | None:
    """The questions; returns a Submission when sent with every required question answered."""
    survey: Survey = public.survey
    code = public.link.code
    state = _form_state(code)
    prefix = f"sv:{code}:{state['round']}"
    language = lang()
    with st.form(f"survey_form:{code}", border=False):
        answers: dict[str, int | None] = {}
        for n, q in enumerate(survey.questions, 1):
            options = [o.value for o in q.options]
            labels = {o.value: o.label.in_(language) for o in q.options}
            answers[q.id] = st.radio(
                f"{n}. {q.text.in_(language)}",
                options,
                index=None,
                format_func=labels.__getitem__,
                key=f"{prefix}:q:{q.id}",
            )
        profile: dict[str, str] = {}
        if survey.profile:
            st.subheader(t("survey.profile"), anchor=False)
            st.caption(t("survey.profile_help"))
            for field in survey.profile:
                names = {o.id: o.in_(language) for o in field.options}
                chosen = st.radio(
                    field.text.in_(language),
                    list(names),
                    index=None,
                    format_func=names.__getitem__,
                    key=f"{prefix}:p:{field.id}",
                    horizontal=True,
                )
                if chosen:
                    profile[field.id] = chosen
        suggestion = ""
        if survey.suggestion:
            suggestion = st.text_area(t("survey.suggestion"), max_chars=1000, key=f"{prefix}:suggestion")
        contact = ""
        if survey.contact == "optional":
            contact = st.text_input(t("survey.contact"), max_chars=120, key=f"{prefix}:contact")
            st.caption(t("survey.contact_help"))  # shown, not a 16 px tooltip a thumb cannot hit
        proof = ""
        if survey.proof_of_service != "none":
            label = t("survey.proof_required" if survey.proof_of_service == "required" else "survey.proof_optional")
            proof = st.text_input(label, max_chars=64, key=f"{prefix}:proof")
            st.caption(t("survey.proof_help"))
        honeypot = st.text_input(t("survey.honeypot"), key=HONEYPOT_KEY, label_visibility="collapsed")
        sent = st.form_submit_button(t("survey.send"), type="primary", width="stretch")
    if not sent:
        return None
    missing = [n for n, q in enumerate(survey.questions, 1) if q.required and answers[q.id] is None]
    if missing:
        st.error(t("survey.missing", numbers=", ".join(str(n) for n in missing)))
        return None
    return Submission(
        code=code,
        submission_id=state["submission"],
        answers={k: v for k, v in answers.items() if v is not None},
        profile=profile,
        suggestion=suggestion or "",
        contact=contact or "",
        proof=proof or "",
        honeypot=honeypot or "",
        started_at=state["started"],
        device_token=device_token(),
        kiosk_token=str(st.query_params.get(KIOSK_PARAM) or "")[:128],
        client=client_address(),
    )


def thank_you(public: PublicSurvey) -> None:
    st.success(t("survey.thanks"), icon=":material/favorite:")
    st.caption(t("survey.thanks_detail"))
    if public.kiosk_label and st.button(t("survey.next_respondent"), type="primary"):
        reset_form(public.link.code)
        st.rerun()


def style() -> None:
    st.html(STYLE)
