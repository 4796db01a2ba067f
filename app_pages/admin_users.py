"""Users (list, add, edit role / unit / active / verifier units, reset password) and the CSV bulk import."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment.errors import KepatuhanError
from services.access import Actor
from services.accounts import users as accounts
from services.admin import csv_import
from services.admin import setup as admin
from ui.auth import admin_actor
from ui.feedback import attempt, show_error, show_flash
from ui.i18n import t, t_plain
from ui.resources import connection


def _role(role: str) -> str:
    return t(f"role.{role}")


def _state(line: admin.UserLine) -> str:
    if not line.active:
        return t("admin.users.inactive")
    if line.locked_until and line.locked_until > dt.datetime.now():
        return t_plain("admin.users.locked", until=f"{line.locked_until:%H:%M}")
    return t("admin.users.active")


def user_columns() -> dict:
    """Widths that keep the users table inside a 1400 px screen with the sidebar open (issue 9); a long
    list of verified units is cut in the cell and shown whole on hover."""
    text = st.column_config.TextColumn
    return {
        t("admin.users.username"): text(width=110),
        t("admin.users.display_name"): text(width=200),
        t("admin.users.role"): text(width=140),
        t("admin.users.state"): text(width=110),
        t("admin.users.col_unit"): text(width=110),
        t("admin.users.col_verifies"): text(width=190),
    }


def render_users() -> None:
    actor = admin_actor()
    con = connection()
    st.title(t("admin.users.title"))
    show_flash()
    lines = admin.user_lines(con, actor)
    tree = admin.unit_tree(con, actor)
    st.dataframe(
        [
            {
                t("admin.users.username"): u.username,
                t("admin.users.display_name"): u.display_name,
                t("admin.users.role"): _role(u.role),
                t("admin.users.state"): _state(u),
                t("admin.users.col_unit"): u.unit_code or "—",
                t("admin.users.col_verifies"): ", ".join(u.verifies) if u.role == "verifier" else "",
            }
            for u in lines
        ],
        hide_index=True,
        width="stretch",
        column_config=user_columns(),
    )
    service_units = [n.unit.code for n in tree if n.unit.kind == "unit"]
    names = {n.unit.code: n.unit.name for n in tree}

    def unit_label(code: str) -> str:
        return f"{code} — {names.get(code, '')}"

    tabs = st.tabs([t("admin.users.tab_add"), t("admin.users.tab_edit"), t("admin.users.tab_reset")])
    with tabs[0]:
        _add_user(actor, service_units, unit_label)
    with tabs[1]:
        _edit_user(actor, lines, service_units, unit_label)
    with tabs[2]:
        _reset_password(actor, lines)


def _add_user(actor: Actor, service_units: list[str], unit_label) -> None:
    with st.form("admin_add_user", border=True, clear_on_submit=False):
        cols = st.columns(2)
        username = cols[0].text_input(t("admin.users.username"), max_chars=40, help=t("admin.users.username_help"))
        display = cols[1].text_input(t("admin.users.display_name"), max_chars=80)
        role = st.selectbox(t("admin.users.role"), accounts.ROLES, index=2, format_func=_role)
        unit = st.selectbox(
            t("admin.users.unit"),
            service_units,
            index=None,
            format_func=unit_label,
            placeholder=t("admin.users.unit_placeholder"),
            help=t("admin.users.unit_help"),
        )
        verifies = st.multiselect(
            t("admin.users.verifies"),
            service_units,
            format_func=unit_label,
            placeholder=t("admin.users.verifies_placeholder"),
            help=t("admin.users.verifies_help"),
        )
        cols = st.columns(2)
        password = cols[0].text_input(t("admin.users.initial_password"), type="password", max_chars=200)
        again = cols[1].text_input(t("setup.password_again"), type="password", max_chars=200)
        st.caption(t("account.password_rules"))
        submitted = st.form_submit_button(t("admin.users.add"), type="primary")
    if submitted:
        if password != again:
            st.error(t("setup.mismatch"))
            return
        attempt(
            accounts.create_user,
            connection(),
            actor,
            username=username,
            display_name=display,
            password=password,
            role=role,
            unit_code=unit,
            verifier_unit_codes=verifies if role == "verifier" else [],
            done=t("admin.users.added", user=username.strip().lower()),
        )


def _edit_user(actor: Actor, lines: list[admin.UserLine], service_units: list[str], unit_label) -> None:
    user = st.selectbox(
        t("admin.users.pick"), lines, format_func=lambda u: f"{u.username} — {u.display_name}", key="admin_user_pick"
    )
    if user is None:
        return
    units = sorted(set(service_units) | ({user.unit_code} if user.unit_code else set()))
    with st.form(f"admin_edit_user:{user.username}", border=True):
        display = st.text_input(t("admin.users.display_name"), value=user.display_name, max_chars=80)
        role = st.selectbox(
            t("admin.users.role"), accounts.ROLES, index=accounts.ROLES.index(user.role), format_func=_role
        )
        unit = st.selectbox(
            t("admin.users.unit"),
            units,
            index=units.index(user.unit_code) if user.unit_code else None,
            format_func=unit_label,
            placeholder=t("admin.users.unit_placeholder"),
            help=t("admin.users.unit_help"),
        )
        verifies = st.multiselect(
            t("admin.users.verifies"),
            service_units,
            default=[c for c in user.verifies if c in service_units],
            format_func=unit_label,
            placeholder=t("admin.users.verifies_placeholder"),
            help=t("admin.users.verifies_help"),
        )
        active = st.checkbox(t("admin.users.active_box"), value=user.active, help=t("admin.users.active_help"))
        submitted = st.form_submit_button(t("admin.save"), type="primary")
    if submitted:
        attempt(
            accounts.update_user,
            connection(),
            actor,
            username=user.username,
            display_name=display,
            role=role,
            unit_code=unit,
            active=active,
            verifier_unit_codes=verifies if role == "verifier" else [],
            done=t("admin.users.updated", user=user.username),
        )


def _reset_password(actor: Actor, lines: list[admin.UserLine]) -> None:
    st.caption(t("admin.users.reset_intro"))
    with st.form("admin_reset_password", border=True, clear_on_submit=True):
        user = st.selectbox(
            t("admin.users.pick"),
            [u.username for u in lines],
            index=None,
            placeholder=t("admin.users.pick_placeholder"),
        )
        cols = st.columns(2)
        password = cols[0].text_input(t("account.new_password"), type="password", max_chars=200)
        again = cols[1].text_input(t("setup.password_again"), type="password", max_chars=200)
        submitted = st.form_submit_button(t("admin.users.reset"), type="primary")
    if submitted:
        if user is None:
            st.error(t("admin.users.pick_first"))
            return
        if password != again:
            st.error(t("setup.mismatch"))
            return
        attempt(
            accounts.reset_password,
            connection(),
            actor,
            username=user,
            new_password=password,
            done=t("admin.users.reset_done", user=user),
        )


# ---- CSV import --------------------------------------------------------------------------------

UNITS_TEMPLATE = (
    "kode,nama,jenis,kode_induk,tipe_unit\n"
    "KAB-CONTOH,Kabupaten Contoh,pemda,,\n"
    "DINSOS,Dinas Sosial,opd,KAB-CONTOH,\n"
    "DINSOS-SLRT,Layanan SLRT Dinas Sosial,unit,DINSOS,slrt\n"
)
USERS_TEMPLATE = (
    "nama_pengguna,nama_lengkap,peran,kode_unit,unit_verifikasi,kata_sandi_awal\n"
    "kepala.slrt,Kepala Layanan SLRT,unit_head,DINSOS-SLRT,,\n"
    "verif.inspektorat,Verifikator Inspektorat,verifier,,DINSOS-SLRT;DUKCAPIL,\n"
)


def render_import() -> None:
    actor = admin_actor()
    st.title(t("admin.import.title"))
    st.caption(t("admin.import.intro"))
    tabs = st.tabs([t("admin.import.units_tab"), t("admin.import.users_tab")])
    with tabs[0]:
        st.markdown(t("admin.import.units_help"))
        _import_form(actor, "units", csv_import.import_units, UNITS_TEMPLATE)
    with tabs[1]:
        st.markdown(t("admin.import.users_help"))
        st.warning(t("admin.import.users_warning"), icon=":material/key:")
        _import_form(actor, "users", csv_import.import_users, USERS_TEMPLATE)


def _import_form(actor: Actor, what: str, action, template: str) -> None:
    st.download_button(
        t("admin.import.template"),
        template.encode("utf-8"),
        file_name=f"contoh-{what}.csv",
        mime="text/csv",
        key=f"template_{what}",
        icon=":material/download:",
    )
    with st.form(f"import_{what}", border=True, clear_on_submit=True):
        upload = st.file_uploader(t(f"admin.import.{what}_file"), type=["csv"], key=f"import_file_{what}")
        submitted = st.form_submit_button(t("admin.import.submit"), type="primary")
    if not submitted:
        return
    if upload is None:
        st.error(t("admin.import.choose_file"))
        return
    try:
        result = action(connection(), actor, upload.getvalue())
    except csv_import.ImportRejected as exc:
        st.error(t("admin.import.rejected", n=len(exc.problems), file=upload.name), icon=":material/block:")
        st.dataframe(_problem_rows(exc.problems), hide_index=True, width="stretch")
        return
    except KepatuhanError as exc:  # e.g. a storage error: nothing was written
        show_error(exc)
        return
    st.success(t(f"admin.import.{what}_done", n=result.created, items=", ".join(result.codes)))


def _problem_rows(problems: list[str]) -> list[dict[str, str]]:
    rows = []
    for p in problems:
        where, _, why = p.partition(": ")
        rows.append({t("admin.import.where"): where, t("admin.import.problem"): why or p})
    return rows
