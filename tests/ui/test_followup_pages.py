"""Follow-up pages in AppTest over the demo kabupaten, logged in as the demo accounts: actions, readiness,
official results, simulator, reminders on the home page, contact and SMTP forms."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from streamlit.testing.v1 import AppTest
from ui_helpers import login

from services.access import SYSTEM
from services.accounts import users
from services.followup import mailer, official, reminders
from store import followup_actions, official_results
from store.db import transaction
from ui.sections.followup_reminders import MAILED_KEY

TIMEOUT = 60
PAGES = ("followup_actions", "followup_readiness", "followup_official", "followup_simulator")


def page(module: str, *, user: str = "ortala", unit: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_string(f"from app_pages import {module}\n{module}.render()\n", default_timeout=TIMEOUT)
    login(at, user)
    if lang:
        at.session_state["lang"] = lang
    if unit:
        at.query_params["unit"] = unit
    return at.run()


def shown(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "text", "info", "warning", "success", "error", "subheader", "title",
                 "button", "metric", "tab", "expander"):  # fmt: skip
        for el in at.get(kind):
            for attr in ("value", "label", "body"):
                v = getattr(el, attr, None) if hasattr(type(el), attr) or hasattr(el, attr) else None
                if isinstance(v, str):
                    out.append(v)
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("user", ["ortala", "kadinsos", "pimpinan", "verifikator"])
def test_every_follow_up_page_opens_for_every_role_without_a_raw_key(demo, user, lang):
    from ui.i18n.catalog_id import ID

    for module in PAGES:
        at = page(module, user=user, unit="DINSOS-SLRT", lang=lang)
        assert not at.exception, (module, at.exception)
        texts = shown(at)
        raw = [s for s in texts if s in ID or re.search(r"\{[a-z_]+\}", s)]
        assert not raw, (module, raw)
        if module == "followup_simulator" and user == "kadinsos":
            refusal = "hanya untuk admin" if lang == "id" else "only for Ortala admins"  # in the reader's language
            assert any(refusal in e.value for e in at.error)


def _con(demo):
    return demo.con()


def test_unit_head_turns_a_proposal_into_an_action_and_closes_it_with_evidence(demo):
    at = page("followup_actions", user="kadinsos", unit="DINSOS-SLRT")
    at.text_input(key="fu_prop_owner").set_value("Bu Sari")
    at.button(key="fu_make_0").click().run()
    assert not at.exception
    unit = demo.unit("DINSOS-SLRT")
    period = demo.open_period()
    rows = followup_actions.for_period(_con(demo), period_id=period.id, unit_ids=[unit.id])
    assert len(rows) == 1 and rows[0].owner == "Bu Sari" and rows[0].source == "path"
    assert any("Tindakan dibuat" in s.value for s in at.success)
    # the table now lists it; closing without evidence is refused with a clear message
    status = next(s for s in at.selectbox if s.label == "Status")
    status.set_value("selesai")
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert any("hanya bisa ditutup dengan bukti" in e.value for e in at.error), [e.value for e in at.error]
    assert followup_actions.get(_con(demo), action_id=rows[0].id).status == "rencana"


def test_admin_imports_official_results_and_sees_the_comparison(demo):
    period = demo.open_period()
    csv = (f"periode,kode,nilai,predikat,akhiran,dimensi\n{period.name},DINSOS-SLRT,\"55,5\",,,\n"
           f"{period.name},KAB-SUKAMAJU,60,Opini Kualitas Sedang,Tanpa Maladministrasi,\n").encode()
    from services.access import Actor

    official.import_csv(_con(demo), Actor(username="ortala", role="admin"), csv)
    at = page("followup_official", user="ortala")
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    units_frame = next(f for f in frames if "Optimisme (mandiri − resmi)" in getattr(f, "columns", []))
    row = units_frame[units_frame["Resmi"].notna()].iloc[0]
    assert row["Resmi"] == 55.5 and row["Optimisme (mandiri − resmi)"] == pytest.approx(row["Mandiri"] - 55.5, abs=0.01)
    region = next(f for f in frames if "Rata-rata aplikasi" in getattr(f, "columns", []))
    assert 60.0 in list(region["Resmi"])
    assert at.get("plotly_chart")


def test_official_csv_with_a_bad_row_is_refused_on_the_page_and_nothing_is_saved(demo):
    # AppTest cannot drive a file uploader: the page shows the uploader, the service's refusal is tested here
    from services.access import Actor
    from services.admin.csv_import import ImportRejected

    at = page("followup_official", user="ortala")
    assert any(e.label == "Catat hasil resmi dan produk Ombudsman" for e in at.expander)
    with pytest.raises(ImportRejected, match="tidak ada data yang disimpan"):
        official.import_csv(_con(demo), Actor(username="ortala", role="admin"), b"periode,kode,nilai\nX,Y,1\n")
    assert official_results.results(_con(demo)) == []


def test_home_page_reminds_the_unit_head_with_a_whatsapp_link(demo, app):
    unit = demo.unit("DINSOS-SLRT")
    con = _con(demo)
    with transaction(con):
        followup_actions.add(con, period_id=demo.open_period().id, unit_id=unit.id, title="Pasang papan SP",
                             indicators=[], source="manual", owner="Pak Budi",
                             due_date=dt.date.today() - dt.timedelta(days=3), expected_points=0, actor="x",
                             at=dt.datetime.now())  # fmt: skip
    at = app()
    assert not at.exception
    assert any("Pasang papan SP" in t.value for t in at.text)
    links = [b for b in at.get("link_button")]
    assert links and links[0].proto.url.startswith("https://wa.me/?text=")


class HeldInbox:
    """An SMTP handler that holds each message until the test lets it through (a slow mail server)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        self.messages.append(envelope)
        return "250 OK"


def test_home_page_does_not_wait_for_a_slow_mail_server(demo, app):
    inbox = HeldInbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        con = _con(demo)
        mailer.save_smtp_settings(con, SYSTEM, host="127.0.0.1", port=port, sender="kepatuhan@kab.go.id",
                                  starttls=False)  # fmt: skip
        reminders.set_contact(con, users.current_user(con, "kadinsos"), email="sari@dinsos.go.id", phone="")
        with transaction(con):
            followup_actions.add(con, period_id=demo.open_period().id, unit_id=demo.unit("DINSOS-SLRT").id,
                                 title="Pasang papan SP", indicators=[], source="manual", owner="Pak Budi",
                                 due_date=dt.date.today() - dt.timedelta(days=3), expected_points=0, actor="x",
                                 at=dt.datetime.now())  # fmt: skip
        at = app()  # the mail server holds the digest: the reminders are on screen all the same
        assert any("Pasang papan SP" in t.value for t in at.text)
        assert not any("dikirim ke e-mail" in c.value for c in at.caption) and inbox.messages == []
        inbox.release.set()
        sending = at.session_state[MAILED_KEY]
        assert sending.result(timeout=60) == "sent" and len(inbox.messages) == 1
        at.run()  # the next render says the digest went out
        assert any("dikirim ke e-mail Anda hari ini" in c.value for c in at.caption)
    finally:
        inbox.release.set()
        server.stop()


def test_readiness_page_shows_the_unit_board_and_admin_moves_the_visit_window(demo):
    at = page("followup_readiness", user="kadinsos", unit="DINSOS-SLRT")
    labels = [m.label for m in at.metric]
    assert "Belum dijawab" in labels and "Bukti kedaluwarsa" in labels
    admin = page("followup_readiness", user="ortala", unit="DINSOS-SLRT")
    assert any(m.label == "Unit siap dikunjungi" for m in admin.metric)
    assert not admin.exception


def test_smtp_page_is_for_the_admin_only_and_contact_form_saves(demo):
    refused = page("followup_settings", user="kadinsos")
    assert refused.exception or any("admin" in e.value for e in refused.error)
    at = page("account", user="kadinsos")
    email = next(ti for ti in at.text_input if ti.label == "E-mail")
    email.set_value("sari@dinsos.go.id")
    next(b for b in at.button if b.label == "Simpan").click().run()
    from services.access import Actor
    from services.followup.reminders import get_contact

    assert get_contact(_con(demo), Actor(username="kadinsos", role="unit_head")).email == "sari@dinsos.go.id"
