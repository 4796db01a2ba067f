"""Widgets of the official-results page: the comparison tables and chart, and the admin's forms."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from services.access import Actor
from services.catalog import criteria_for
from services.followup import official
from services.followup.comparison import Comparison
from services.views import Period
from ui.feedback import attempt, flash
from ui.i18n import number, t
from ui.sections.followup_common import highlighted_table
from ui.sections.region_view import separators, table


def optimism_chart(comparison: Comparison, period_name: str) -> go.Figure | None:
    """Self, verified and official score per unit in one period: a grouped bar chart (pure, testable)."""
    rows = [u for u in comparison.units if u.period_name == period_name and u.official is not None]
    if not rows:
        return None
    names = [u.unit_name for u in rows]
    fig = go.Figure()
    for label, values, colour in (
        (t("fu.off.self"), [u.self_score for u in rows], "#4C78A8"),
        (t("fu.off.verified"), [u.verified for u in rows], "#72B7B2"),
        (t("fu.off.official"), [u.official for u in rows], "#F58518"),
    ):
        fig.add_bar(name=label, y=names, x=values, orientation="h", marker_color=colour)
    fig.update_layout(barmode="group", height=140 + 60 * len(rows), margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      separators=separators(), xaxis={"range": [0, 100]},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0})
    return fig


def unit_table(comparison: Comparison) -> None:
    rows, late = [], []
    for u in comparison.units:
        rows.append({
            t("fu.off.period"): u.period_name,
            t("region.col.unit"): f"{u.unit_code} · {u.unit_name}",
            t("fu.off.self"): u.self_score,
            t("fu.off.verified"): u.verified,
            t("fu.off.official"): u.official,
            t("fu.off.label"): " ".join(x for x in (u.official_label, u.official_suffix) if x),
            t("fu.off.optimism"): u.optimism,
        })
        late.append(u.optimism is not None and u.optimism > 5)
    nums = [t("fu.off.self"), t("fu.off.verified"), t("fu.off.official"), t("fu.off.optimism")]
    highlighted_table(rows, late, numbers=nums, key="fu_off_units")
    st.caption(t("fu.off.optimism_help"))


def dimension_table(comparison: Comparison) -> None:
    # units with a published result first: that is where the comparison has something to say
    codes = sorted({f"{u.unit_code} · {u.unit_name}" for u in comparison.units},
                   key=lambda c: (not any(f"{u.unit_code} · {u.unit_name}" == c and u.official is not None
                                          for u in comparison.units), c))
    if not codes:
        return
    chosen = st.selectbox(t("fu.off.pick_unit"), codes, key="fu_off_unit")
    rows = []
    for u in comparison.units:
        if f"{u.unit_code} · {u.unit_name}" != chosen:
            continue
        for d in u.dimensions:
            rows.append({t("fu.off.period"): u.period_name, t("fu.off.dimension"): f"{d.title} (maks {number(d.max)})",
                         t("fu.off.self"): d.self_score, t("fu.off.verified"): d.verified,
                         t("fu.off.official"): d.official,
                         t("fu.off.optimism"): None if d.self_score is None or d.official is None
                         else round(d.self_score - d.official, 2)})
    table(rows, numbers=[t("fu.off.self"), t("fu.off.verified"), t("fu.off.official"), t("fu.off.optimism")])


def region_table(comparison: Comparison) -> None:
    rows = [{
        t("fu.off.period"): r.period_name,
        t("fu.off.region"): r.region_name,
        t("fu.off.app_mean"): r.app_mean,
        t("fu.off.verified_mean"): r.verified_mean,
        t("fu.off.units"): r.units_assessed,
        t("fu.off.official"): r.official,
        t("fu.off.label"): " ".join(x for x in (r.official_label, r.official_suffix) if x),
        t("fu.off.gap"): r.gap,
    } for r in comparison.region]
    table(rows, numbers=[t("fu.off.app_mean"), t("fu.off.verified_mean"), t("fu.off.official"), t("fu.off.gap")])


def products_table(comparison: Comparison) -> None:
    if not comparison.products:
        st.info(t("fu.off.no_products"))
        return
    rows = [{t("fu.off.period"): p.period_name, t("region.col.unit"): f"{p.unit_code} · {p.unit_name}",
             t("fu.off.kind"): p.kind_label, t("fu.off.reference"): p.reference, t("fu.off.description"): p.description,
             t("fu.off.followup"): p.status_label} for p in comparison.products]
    highlighted_table(rows, [p.status != "selesai" for p in comparison.products], key="fu_off_products")


def admin_forms(con, actor: Actor, periods: list[Period], codes: list[tuple[str, str]]) -> None:
    """Record one result, one product, or import a CSV (all rows or nothing)."""
    labels = dict(codes)
    names = [t("fu.off.form.result"), t("fu.off.form.product"), t("fu.off.form.csv")]
    result_tab, product_tab, csv_tab = st.tabs(names)
    with result_tab:
        period = st.selectbox(t("fu.off.period"), periods, format_func=lambda p: p.name, key="fu_off_period")
        criteria = criteria_for(con, period.criteria_sha256)
        with st.form("fu_off_result"):
            code = st.selectbox(t("fu.off.entity"), list(labels), format_func=lambda c: f"{c} · {labels[c]}")
            score = st.number_input(t("fu.off.score"), min_value=criteria.scale.min, max_value=criteria.scale.max,
                                    value=None, step=0.01, format="%.2f")
            c1, c2 = st.columns(2)
            label = c1.text_input(t("fu.off.label"), max_chars=80, help=t("fu.off.label_help"))
            suffix = c2.text_input(t("fu.off.suffix"), max_chars=80, placeholder="Tanpa Maladministrasi")
            st.caption(t("fu.off.dims_help"))
            dims = {}
            cols = st.columns(len(criteria.dimensions))
            for col, d in zip(cols, criteria.dimensions, strict=True):
                dims[d.id] = col.number_input(f"{d.title} (0–{criteria.dimension_max(d):g})", min_value=0.0,
                                              max_value=float(criteria.dimension_max(d)), value=None, step=0.01)
            sent = st.form_submit_button(t("fu.save"), icon=":material/save:")
        if sent:
            if score is None:
                st.error(t("fu.off.score_missing"))
            else:
                ok, replaced = attempt(lambda: official.record_result(
                    con, actor, period=period.id, code=code, score=score, label=label, suffix=suffix,
                    dimensions={k: v for k, v in dims.items() if v is not None}))
                if ok:
                    flash("success", t("fu.off.recorded_replaced" if replaced else "fu.off.recorded", code=code))
                    st.rerun()
    with product_tab, st.form("fu_off_product"):
        period = st.selectbox(t("fu.off.period"), periods, format_func=lambda p: p.name)
        code = st.selectbox(t("fu.off.entity"), list(labels), format_func=lambda c: f"{c} · {labels[c]}")
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(t("fu.off.kind"), list(official.PRODUCT_KINDS),
                            format_func=lambda k: official.PRODUCT_KINDS[k])
        reference = c2.text_input(t("fu.off.reference"), max_chars=80, help=t("fu.off.reference_help"))
        status = c3.selectbox(t("fu.off.followup"), list(official.FOLLOWUP_STATUSES),
                              format_func=lambda s: official.FOLLOWUP_STATUSES[s])
        description = st.text_area(t("fu.off.description"), max_chars=1000)
        sent = st.form_submit_button(t("fu.save"), icon=":material/save:")
        if sent:
            ok, _ = attempt(lambda: official.record_product(con, actor, period=period.id, code=code, kind=kind,
                                                            reference=reference, description=description,
                                                            status=status))
            if ok:
                flash("success", t("fu.off.product_recorded", ref=reference))
                st.rerun()
    with csv_tab:
        st.markdown(t("fu.off.csv_help"))
        upload = st.file_uploader(t("fu.off.csv"), type=["csv"], key="fu_off_csv")
        if upload is not None and st.button(t("fu.off.import"), icon=":material/upload_file:", key="fu_off_import"):
            ok, summary = attempt(lambda: official.import_csv(con, actor, upload.getvalue()))
            if ok:
                flash("success", t("fu.off.imported", n=summary.rows, replaced=summary.replaced))
                st.rerun()
