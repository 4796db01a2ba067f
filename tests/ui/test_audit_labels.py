"""Audit event labels (issue 10): every event type has a line in both catalogs, the audit page shows them in the
reader's language, and an event name no type knows (an older version's row) still reads as something."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TIMEOUT, login
from streamlit.testing.v1 import AppTest

from services.accounts import users as accounts
from services.answering.assessing import record_note
from services.audit_events import EVENT_TYPES, label_key
from store import audit
from store.db import transaction
from store.models import Event
from ui.i18n.audit_labels import event_choice, event_label
from ui.i18n.catalog_en import EN
from ui.i18n.catalog_id import ID


class _RetiredEvent(Event):
    """A kind no service records any more, as rows written by an older version hold it."""

    name = "answer_saved"
    value: int


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_every_event_type_has_a_label_in_both_catalogs(name):
    key = label_key(name)
    assert ID.get(key, "").strip() and EN.get(key, "").strip(), f"{key} missing in a catalog"
    assert name not in ID[key] and name not in EN[key]  # a label, not the raw name


def test_the_indonesian_labels_keep_their_wording_and_english_is_translated():
    assert ID[label_key("answer.set")] == "Jawaban diisi/diubah"
    assert ID[label_key("user.updated")] == "Pengguna diubah (peran/unit/aktif)"
    assert ID[label_key("official.imported")] == "Hasil resmi / produk Ombudsman diimpor dari CSV"
    assert EN[label_key("answer.set")] == "Answer given/changed"
    same = [n for n in EVENT_TYPES if ID[label_key(n)] == EN[label_key(n)]]
    assert same == []
    audit_keys = {k for k in ID if k.startswith("audit.event.")}
    assert audit_keys == {k for k in EN if k.startswith("audit.event.")}
    assert audit_keys == {label_key(n) for n in EVENT_TYPES} | {"audit.event.unknown"}  # no label without a type


def test_an_unknown_event_name_still_reads_as_something(language):
    language("id")
    assert event_label("note.set") == "Catatan diubah"
    assert event_choice("note.set") == "Catatan diubah (note.set)"
    assert event_label("answer_saved") == "Peristiwa lain (answer_saved)"
    assert event_choice("answer_saved") == "Peristiwa lain (answer_saved)"
    language("en")
    assert event_label("note.set") == "Note changed"
    assert event_label("answer_saved") == "Other event (answer_saved)"


def _audit_page(lang: str = "id") -> AppTest:
    at = AppTest.from_string("from app_pages import audit\naudit.render()\n", default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    return login(at, "ortala").run()


def test_the_page_names_events_in_the_readers_language_and_an_old_event_sensibly(demo):
    con = demo.con()
    view = demo.view()
    head = accounts.current_user(con, "kadinsos")
    indicator = view.criteria.dimensions[0].indicators[0].id
    record_note(con, head, assessment_id=view.assessment.id, indicator_id=indicator, note="catatan")
    with transaction(con):
        audit.append(con, actor="lama", event=_RetiredEvent(value=3), at=dt.datetime(2020, 1, 5, 10, 0))
    at = _audit_page("id")
    shown = set(at.dataframe[0].value["Peristiwa"])
    assert {"Catatan diubah", "Peristiwa lain (answer_saved)", "Pengguna dibuat"} <= shown
    assert not any("." in label and "(" not in label for label in shown)  # no raw key like 'note.set'
    options = at.selectbox(key="audit_event").options
    assert "Catatan diubah (note.set)" in options and "Peristiwa lain (answer_saved)" in options
    at = _audit_page("en")
    events = set(at.dataframe[0].value[EN["audit.col.event"]])
    assert {"Note changed", "Other event (answer_saved)", "User created"} <= events
