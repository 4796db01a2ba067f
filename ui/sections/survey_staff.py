"""Staff widgets of the surveys: links and posters, paper answers, population, kiosks, held answers, results.

Respondents' text is shown only inside dataframes (plain cells) or escaped; downloads are built on click.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from assessment.errors import KepatuhanError
from services.access import Actor
from services.directory import visible_units
from services.surveys import links, paper, poster, reports, results
from services.surveys.definitions import shipped
from services.surveys.links import SurveyLink, unit_products
from services.views import OrgUnit, Period
from ui.feedback import show_error
from ui.i18n import lang, number, t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection

PDF, XLSX, CSV = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"


def _run(action: Callable[[], object], ok: str | None = None) -> bool:
    try:
        action()
    except KepatuhanError as exc:
        show_error(exc)
        return False
    if ok:
        st.toast(ok)
    return True


def survey_names() -> dict[str, str]:
    return {s.id: s.title.id for s in shipped()}


def links_section(actor: Actor, period: Period, unit: OrgUnit) -> None:
    con = connection()
    st.subheader(t("sv.links"))
    all_links = [link for link in links.links_for(con, actor, unit_id=unit.id, period_id=period.id)]
    names = survey_names()
    if all_links:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("sv.col.code"): link.code,
                        t("sv.col.survey"): names.get(link.survey_id, link.survey_id),
                        t("sv.col.product"): link.product_code or "",
                        t("sv.col.counter"): link.counter or "",
                        t("sv.col.status"): t(f"sv.status.{link.status}"),
                        t("sv.col.url"): links.public_url(link.code),
                    }
                    for link in all_links
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        chosen = st.selectbox(
            t("sv.pick_link"),
            all_links,
            format_func=lambda k: (
                f"{k.code} · {names.get(k.survey_id, '')}" + (f" · {k.product_code}" if k.product_code else "")
            ),
            key="sv_link",
        )
        if chosen is not None:
            _link_tools(actor, chosen)
    else:
        st.info(t("sv.no_links"))
    _new_link_form(actor, period, unit, names)


def _link_tools(actor: Actor, link: SurveyLink) -> None:
    con = connection()
    st.code(links.public_url(link.code), language=None)
    cols = st.columns(3)
    cols[0].download_button(
        t("sv.poster"),
        data=lambda: poster.poster_pdf(con, actor, link_id=link.id),
        file_name=f"poster-survei-{link.code}.pdf",
        mime=PDF,
        key=f"sv_poster_{link.id}",
        on_click="ignore",
        icon=":material/qr_code_2:",
    )
    cols[1].download_button(
        t("sv.paper_form"),
        data=lambda: paper.paper_form_pdf(con, actor, link_id=link.id),
        file_name=f"formulir-survei-{link.code}.pdf",
        mime=PDF,
        key=f"sv_form_{link.id}",
        on_click="ignore",
        icon=":material/print:",
    )
    cols[2].download_button(
        t("sv.paper_template"),
        data=lambda: paper.paper_template_xlsx(con, actor, link_id=link.id),
        file_name=f"isian-kertas-{link.code}.xlsx",
        mime=XLSX,
        key=f"sv_tpl_{link.id}",
        on_click="ignore",
        icon=":material/table:",
    )
    is_open = link.status == "open"
    if st.button(t("sv.close_link" if is_open else "sv.open_link"), key=f"sv_toggle_{link.id}"):
        if _run(lambda: links.set_link_open(con, actor, link_id=link.id, open_=not is_open), t("sv.saved")):
            st.rerun()
    with st.form(f"sv_import_{link.id}", clear_on_submit=True):
        upload = st.file_uploader(t("sv.paper_import"), type=["xlsx"], key=f"sv_upload_{link.id}")
        if st.form_submit_button(t("sv.import")) and upload is not None:
            data = upload.getvalue()
            try:
                done = paper.import_paper(con, actor, link_id=link.id, data=data)
            except KepatuhanError as exc:
                show_error(exc)
            else:
                st.success(t("sv.imported", n=done.added))


def _new_link_form(actor: Actor, period: Period, unit: OrgUnit, names: dict[str, str]) -> None:
    con = connection()
    products = {p.code: p.name for p in unit_products(con, actor, unit_id=unit.id)}
    with st.form("sv_new_link"):
        st.markdown(f"**{t('sv.new_link')}**")
        survey_id = st.selectbox(t("sv.col.survey"), list(names), format_func=names.__getitem__)
        product = st.selectbox(
            t("sv.col.product"), ["", *products], format_func=lambda c: products.get(c, t("sv.all_products"))
        )
        counter = st.text_input(t("sv.col.counter"), max_chars=60, placeholder=t("sv.counter_placeholder"))
        if st.form_submit_button(t("sv.create"), type="primary"):
            made: list[SurveyLink] = []
            if _run(
                lambda: made.append(
                    links.create_link(
                        con,
                        actor,
                        period_id=period.id,
                        unit_id=unit.id,
                        survey_id=survey_id,
                        product_code=product or None,
                        counter=counter,
                    )
                )
            ):
                st.success(t("sv.created", code=made[0].code))


def population_section(actor: Actor, period: Period, unit: OrgUnit) -> None:
    con = connection()
    st.subheader(t("sv.population"))
    st.caption(t("sv.population_help"))
    with st.form("sv_population"):
        names = survey_names()
        survey_id = st.selectbox(t("sv.col.survey"), list(names), format_func=names.__getitem__, key="sv_pop_survey")
        value = st.number_input(
            t("sv.population_value"),
            min_value=1,
            max_value=links.MAX_POPULATION,
            step=1,
            value=None,
            key="sv_pop_value",
        )
        if st.form_submit_button(t("sv.save")) and value is not None:
            _run(
                lambda: links.set_population(
                    con, actor, period_id=period.id, unit_id=unit.id, survey_id=survey_id, population=int(value)
                ),
                t("sv.saved"),
            )


def kiosk_section(actor: Actor, unit: OrgUnit) -> None:
    con = connection()
    st.subheader(t("sv.kiosks"))
    st.caption(t("sv.kiosks_help"))
    rows = links.list_kiosks(con, actor, unit_id=unit.id)
    for k in rows:
        cols = st.columns([3, 1])
        cols[0].markdown(f"{escape_markdown(k.label)} · {t('sv.active') if k.active else t('sv.revoked')}")
        if k.active and cols[1].button(t("sv.revoke"), key=f"sv_kiosk_{k.token_sha256[:12]}"):
            if _run(lambda k=k: links.set_kiosk_active(con, actor, token_sha256=k.token_sha256, active=False)):
                st.rerun()
    open_links = [link for link in links.links_for(con, actor, unit_id=unit.id) if link.status == "open"]
    with st.form("sv_kiosk_new", clear_on_submit=True):
        label = st.text_input(t("sv.kiosk_label"), max_chars=60, placeholder="Tablet loket 1")
        if st.form_submit_button(t("sv.kiosk_add")):
            tokens: list[str] = []
            if _run(lambda: tokens.append(links.add_kiosk(con, actor, unit_id=unit.id, label=label))):
                if open_links:
                    st.success(t("sv.kiosk_made"))
                    for link in open_links:
                        st.code(links.kiosk_url(link.code, tokens[0]), language=None)
                else:
                    st.warning(t("sv.kiosk_no_link"))


def held_section(actor: Actor, period: Period) -> None:
    con = connection()
    st.subheader(t("sv.held"))
    rows = results.held_responses(con, actor, period_id=period.id)
    if not rows:
        st.caption(t("sv.held_none"))
        return
    unit_names = {u.id: u.name for u in visible_units(con, actor)}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "ID": r.id,
                    t("sv.col.unit"): unit_names.get(r.unit_id, ""),
                    t("sv.col.survey"): r.survey_id,
                    t("sv.col.when"): r.submitted_at.strftime("%Y-%m-%d %H:%M"),
                    t("sv.col.reason"): "; ".join(results.FLAG_LABELS.get(f, f) for f in r.flags.split(",") if f),
                    t("sv.col.seconds"): r.seconds,
                    t("sv.col.suggestion"): r.suggestion,
                }
                for r in rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form("sv_decide"):
        chosen = st.selectbox(t("sv.held_pick"), [r.id for r in rows], key="sv_held_pick")
        note = st.text_input(t("sv.held_note"), max_chars=300)
        cols = st.columns(2)
        keep = cols[0].form_submit_button(t("sv.keep"))
        reject = cols[1].form_submit_button(t("sv.reject"))
        if (keep or reject) and chosen is not None:
            if _run(lambda: results.decide(con, actor, response_id=int(chosen), accept=keep, note=note), t("sv.saved")):
                st.rerun()


def results_view(actor: Actor, period: Period, unit: OrgUnit) -> None:
    con = connection()
    names = survey_names()
    survey_id = (
        st.segmented_control(
            t("sv.col.survey"), list(names), format_func=names.__getitem__, default="skm-2017", key="sv_res_survey"
        )
        or "skm-2017"
    )
    try:
        res = results.unit_results(con, actor, period_id=period.id, unit_id=unit.id, survey_id=survey_id)
    except KepatuhanError as exc:
        show_error(exc, kind="info")
        return
    r = res.result
    cols = st.columns(3)
    cols[0].metric(t("sv.respondents"), f"{r.n}" + (f" / {r.min_sample}" if r.min_sample else ""))
    cols[1].metric(
        "IKM" if res.survey.scale == "skm-2017" else t("sv.index"), number(float(r.ikm)) if r.ikm is not None else "—"
    )
    cols[2].metric(t("sv.category"), f"{r.category} · {r.category_label}" if r.category else "—")
    if res.sample_warning:
        st.warning(res.sample_warning)
    if res.held:
        st.caption(t("sv.held_count", n=res.held))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("sv.col.element"): e.element,
                    t("sv.col.name"): e.title,
                    "n": e.answered,
                    # text in the reader's decimal mark (3,750), right-aligned like the numbers they are
                    "NRR": number(float(e.nrr), 3) if e.answered else "—",
                    "NRR × 25": number(float(e.nrr * 25)) if e.answered else "—",
                }
                for e in r.elements
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={"NRR": st.column_config.TextColumn(), "NRR × 25": st.column_config.TextColumn()},
    )
    for b in res.breakdowns:
        with st.expander(t("sv.breakdown", title=b.title)):
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("sv.col.group"): name,
                            "n": g.n,
                            "IKM": float(g.ikm) if g.ikm is not None and g.n >= results.MIN_GROUP else None,
                        }
                        for name, g in b.groups
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
            st.caption(t("sv.min_group", n=results.MIN_GROUP))
    with st.expander(t("sv.suggestions", n=len(res.suggestions))):
        if res.suggestions:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("sv.col.when"): s.at,
                            t("sv.col.product"): s.product or "",
                            t("sv.col.suggestion"): s.text,
                            t("sv.col.contact"): s.contact,
                        }
                        for s in res.suggestions
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
    cols = st.columns(3)
    base = f"skm-{unit.code}-{period.id}"
    cols[0].download_button(
        t("sv.report_pdf"),
        data=lambda: reports.skm_report_pdf(con, actor, period_id=period.id, unit_id=unit.id, survey_id=survey_id),
        file_name=f"{base}.pdf",
        mime=PDF,
        key="sv_rep_pdf",
        on_click="ignore",
    )
    cols[1].download_button(
        t("sv.report_xlsx"),
        data=lambda: reports.skm_report_xlsx(con, actor, period_id=period.id, unit_id=unit.id, survey_id=survey_id),
        file_name=f"{base}.xlsx",
        mime=XLSX,
        key="sv_rep_xlsx",
        on_click="ignore",
    )
    language = lang()  # the CSV writes numbers the reader's way
    cols[2].download_button(
        t("sv.raw_csv"),
        data=lambda: reports.responses_csv(
            con, actor, period_id=period.id, unit_id=unit.id, survey_id=survey_id, lang=language
        ),
        file_name=f"{base}-jawaban.csv",
        mime=CSV,
        key="sv_rep_csv",
        on_click="ignore",
    )


def league_view(actor: Actor, period: Period) -> None:
    con = connection()
    st.subheader(t("sv.league"))
    try:
        rows = reports.league_table(con, actor, period_id=period.id)
    except KepatuhanError as exc:
        show_error(exc, kind="info")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("sv.col.rank"): str(r.rank) if r.rank else "—",
                    t("sv.col.unit"): r.unit_name,
                    t("sv.respondents"): r.n,
                    t("sv.col.min_sample"): str(r.min_sample) if r.min_sample else "—",
                    "IKM": number(float(r.ikm)) if r.ikm is not None else "—",
                    t("sv.category"): r.category or "",
                }
                for r in rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.download_button(
        t("sv.league_xlsx"),
        data=lambda: reports.league_xlsx(con, actor, period_id=period.id),
        file_name=f"peringkat-skm-{period.id}.xlsx",
        mime=XLSX,
        key="sv_league_xlsx",
        on_click="ignore",
    )
