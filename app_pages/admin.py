"""Administration for the Ortala admin: units & service products, periods, reopening a submitted assessment.

Thin pages: read the widgets, call services.admin.setup / services.admin.periods (which check the role again and
write the audit trail), show the outcome. Everything typed is shown as plain text.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from services.access import Actor
from services.admin import periods as period_admin
from services.admin import setup as admin
from ui.auth import admin_actor
from ui.feedback import attempt, show_flash
from ui.i18n import t
from ui.resources import connection


def _kind(kind: str) -> str:
    return t(f"admin.kind.{kind}")


# ---- units & products --------------------------------------------------------------------------


def render_units() -> None:
    actor = admin_actor()
    con = connection()
    st.title(t("admin.units.title"))
    show_flash()
    st.caption(t("admin.units.intro"))
    tree = admin.unit_tree(con, actor)
    tabs = st.tabs(
        [t("admin.units.tab_list"), t("admin.units.tab_add"), t("admin.units.tab_edit"), t("admin.products")]
    )
    with tabs[0]:
        _unit_table(tree)
    with tabs[1]:
        _add_unit_form(actor, tree)
    with tabs[2]:
        _edit_unit_form(actor, tree)
    with tabs[3]:
        _products(actor, [n for n in tree if n.unit.kind == "unit"])


def _unit_table(tree: list[admin.UnitNode]) -> None:
    if not tree:
        st.info(t("admin.units.empty"))
        return
    rows = [
        {
            t("admin.col.name"): ("\u2003\u2003" * (n.depth - 1) + "└ " if n.depth else "") + n.unit.name,
            t("admin.col.code"): n.unit.code,
            t("admin.col.kind"): _kind(n.unit.kind),
            t("admin.col.parent"): n.parent_code or "—",
            t("admin.col.unit_type"): n.unit.unit_type or "",
            t("admin.col.products"): str(n.products) if n.unit.kind == "unit" else "",
        }
        for n in tree
    ]
    st.dataframe(rows, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 800))


def _unit_label(node: admin.UnitNode) -> str:
    return f"{node.unit.code} — {node.unit.name} ({_kind(node.unit.kind)})"


def _add_unit_form(actor: Actor, tree: list[admin.UnitNode]) -> None:
    parents = [n for n in tree if n.unit.kind in ("pemda", "opd")]
    with st.form("admin_add_unit", border=True):
        kind = st.selectbox(t("admin.col.kind"), admin.KINDS, index=2, format_func=_kind)
        code = st.text_input(t("admin.col.code"), max_chars=40, help=t("admin.code_help"))
        name = st.text_input(t("admin.col.name"), max_chars=120)
        parent = st.selectbox(
            t("admin.col.parent"),
            parents,
            index=None,
            format_func=_unit_label,
            placeholder=t("admin.units.parent_placeholder"),
            help=t("admin.units.parent_help"),
        )
        unit_type = st.text_input(t("admin.col.unit_type"), max_chars=40, help=t("admin.units.type_help"))
        submitted = st.form_submit_button(t("admin.units.add"), type="primary")
    if submitted:
        attempt(
            admin.add_unit,
            connection(),
            actor,
            kind=kind,
            code=code,
            name=name,
            parent_code=parent.unit.code if parent else None,
            unit_type=unit_type,
            done=t("admin.units.added", code=code.strip().upper()),
        )


def _edit_unit_form(actor: Actor, tree: list[admin.UnitNode]) -> None:
    if not tree:
        st.info(t("admin.units.empty"))
        return
    node = st.selectbox(t("admin.units.pick"), tree, format_func=_unit_label, key="admin_edit_unit_pick")
    with st.form(f"admin_edit_unit:{node.unit.code}", border=True):
        name = st.text_input(t("admin.col.name"), value=node.unit.name, max_chars=120)
        unit_type = st.text_input(t("admin.col.unit_type"), value=node.unit.unit_type or "", max_chars=40)
        submitted = st.form_submit_button(t("admin.save"), type="primary")
    st.caption(t("admin.units.code_fixed"))
    if submitted:
        attempt(
            admin.rename_unit,
            connection(),
            actor,
            code=node.unit.code,
            name=name,
            unit_type=unit_type,
            done=t("admin.saved"),
        )


def _products(actor: Actor, service_units: list[admin.UnitNode]) -> None:
    if not service_units:
        st.info(t("admin.units.empty"))
        return
    st.caption(t("admin.products.intro"))
    node = st.selectbox(t("admin.products.unit"), service_units, format_func=_unit_label, key="admin_product_unit")
    con = connection()
    products = admin.list_products(con, actor, unit_code=node.unit.code)
    if products:
        st.dataframe(
            [{t("admin.col.code"): p.code, t("admin.col.name"): p.name} for p in products],
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(t("admin.products.none"))
    left, right = st.columns(2)
    with left, st.form(f"admin_add_product:{node.unit.code}", border=True):
        st.markdown(f"**{t('admin.products.add')}**")
        code = st.text_input(t("admin.col.code"), max_chars=40, key=f"admin_product_code:{node.unit.code}")
        name = st.text_input(t("admin.col.name"), max_chars=120, key=f"admin_product_name:{node.unit.code}")
        add = st.form_submit_button(t("admin.products.add"), type="primary")
    if add:
        attempt(
            admin.add_product,
            con,
            actor,
            unit_code=node.unit.code,
            code=code,
            name=name,
            done=t("admin.products.added", code=code.strip().upper()),
        )
    if not products:
        return
    with right, st.form(f"admin_change_product:{node.unit.code}", border=True):
        st.markdown(f"**{t('admin.products.change')}**")
        product = st.selectbox(t("admin.products.pick"), products, format_func=lambda p: f"{p.code} — {p.name}")
        new_name = st.text_input(t("admin.products.new_name"), max_chars=120)
        cols = st.columns(2)
        rename = cols[0].form_submit_button(t("admin.products.rename"))
        remove = cols[1].form_submit_button(t("admin.products.remove"))
    if rename:
        attempt(
            admin.rename_product,
            con,
            actor,
            unit_code=node.unit.code,
            code=product.code,
            name=new_name,
            done=t("admin.saved"),
        )
    if remove:
        attempt(
            admin.remove_product,
            con,
            actor,
            unit_code=node.unit.code,
            code=product.code,
            done=t("admin.products.removed", code=product.code),
        )


# ---- periods -----------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else "—"


def render_periods() -> None:
    actor = admin_actor()
    con = connection()
    st.title(t("admin.periods.title"))
    show_flash()
    st.caption(t("admin.periods.intro"))
    lines = period_admin.period_lines(con, actor)
    if lines:
        st.dataframe(
            [
                {
                    t("admin.col.name"): line.period.name,
                    t("admin.periods.year"): str(line.period.year),
                    t("admin.periods.status"): t(f"admin.periods.status.{line.period.status}"),
                    t("admin.periods.opens"): _date(line.period.opens),
                    t("admin.periods.closes"): _date(line.period.closes),
                    t("admin.periods.visit"): f"{_date(line.period.visit_from)} – {_date(line.period.visit_to)}",
                    t("admin.periods.criteria"): line.criteria_label,
                }
                for line in lines
            ],
            hide_index=True,
            width="stretch",
        )
        _period_status(actor, lines)
    else:
        st.info(t("admin.periods.empty"))
    _add_period_form(actor)


def _period_status(actor: Actor, lines: list[period_admin.PeriodLine]) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('admin.periods.open_close')}**")
        line = st.selectbox(
            t("admin.periods.pick"),
            lines,
            format_func=lambda x: f"{x.period.name} · {t('admin.periods.status.' + x.period.status)}",
            key="admin_period_pick",
        )
        target = "closed" if line.period.status == "open" else "open"
        st.caption(t(f"admin.periods.will_{target}"))
        if st.button(t(f"admin.periods.do_{target}"), key=f"admin_period_{target}:{line.period.id}"):
            attempt(
                period_admin.set_period_status,
                connection(),
                actor,
                period_id=line.period.id,
                status=target,
                done=t(f"admin.periods.done_{target}", name=line.period.name),
            )


def _add_period_form(actor: Actor) -> None:
    choices = period_admin.criteria_choices(actor)
    known = [line.period.year for line in period_admin.period_lines(connection(), actor)]
    year = max(known) + 1 if known else dt.date.today().year
    st.subheader(t("admin.periods.add"))
    with st.form("admin_add_period", border=True):
        name = st.text_input(t("admin.col.name"), placeholder=f"Penilaian {year}", max_chars=80)
        year_in = st.number_input(t("admin.periods.year"), min_value=2000, max_value=2100, value=year, step=1)
        criteria = st.selectbox(
            t("admin.periods.criteria"),
            choices,
            index=0 if choices else None,
            format_func=lambda c: c.label,
            help=t("admin.periods.criteria_help"),
        )
        cols = st.columns(2)
        opens = cols[0].date_input(t("admin.periods.opens"), value=None, format="DD-MM-YYYY")
        closes = cols[1].date_input(t("admin.periods.closes"), value=None, format="DD-MM-YYYY")
        cols = st.columns(2)
        visit_from = cols[0].date_input(t("admin.periods.visit_from"), value=None, format="DD-MM-YYYY")
        visit_to = cols[1].date_input(t("admin.periods.visit_to"), value=None, format="DD-MM-YYYY")
        submitted = st.form_submit_button(t("admin.periods.create"), type="primary")
    if submitted:
        if criteria is None:
            st.error(t("admin.periods.no_criteria"))
            return
        attempt(
            period_admin.add_period,
            connection(),
            actor,
            name=name,
            year=int(year_in),
            criteria_file=criteria.file_name,
            opens=opens,
            closes=closes,
            visit_from=visit_from,
            visit_to=visit_to,
            done=t("admin.periods.created", name=" ".join(name.split())),
        )


# ---- reopening ---------------------------------------------------------------------------------


def render_reopen() -> None:
    actor = admin_actor()
    con = connection()
    st.title(t("admin.reopen.title"))
    show_flash()
    st.caption(t("admin.reopen.intro"))
    frozen = admin.reopenable(con, actor)
    if not frozen:
        st.info(t("admin.reopen.none"))
        return
    with st.form("admin_reopen", border=True):
        row = st.selectbox(
            t("admin.reopen.pick"),
            frozen,
            index=None,
            placeholder=t("admin.reopen.placeholder"),
            format_func=lambda a: f"{a.period_name} · {a.unit_name} ({a.unit_code}) · {t('status.' + a.status)}",
        )
        reason = st.text_area(t("admin.reopen.reason"), max_chars=2000, help=t("admin.reopen.reason_help"))
        submitted = st.form_submit_button(t("admin.reopen.submit"), type="primary")
    if submitted:
        if row is None:
            st.error(t("admin.reopen.pick_first"))
            return
        attempt(
            admin.reopen_assessment,
            con,
            actor,
            assessment_id=row.id,
            reason=reason,
            done=t("admin.reopen.done", unit=row.unit_name, period=row.period_name),
        )
