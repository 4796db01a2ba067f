"""One error path (issue 10): keyed errors in the reader's language, the same keys and placeholders in both
catalogs, the UI and the CLI each render through one helper, and storage errors keep their cause."""

import string

import pytest
from streamlit.testing.v1 import AppTest

from assessment.errors import KepatuhanError
from assessment.messages import ERRORS_EN, ERRORS_ID
from store.db import DB_FILE, StorageError, connect
from ui.i18n.catalog_en import EN
from ui.i18n.catalog_id import ID


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(("ind", "eng"), [(ID, EN), (ERRORS_ID, ERRORS_EN)], ids=["ui", "errors"])
def test_both_catalogs_have_the_same_keys_and_placeholders(ind, eng):
    assert sorted(set(ind) ^ set(eng)) == []
    differ = {
        k: (_placeholders(ind[k]), _placeholders(eng[k])) for k in ind if _placeholders(ind[k]) != _placeholders(eng[k])
    }
    assert differ == {}


def test_every_error_key_is_in_the_ui_catalogs():
    assert set(ERRORS_ID) <= set(ID) and set(ERRORS_EN) <= set(EN)


def test_a_keyed_error_speaks_the_readers_language():
    exc = KepatuhanError(key="err.period.closed", period="2026")
    assert str(exc) == "Periode '2026' sudah ditutup; jawaban tidak bisa diubah. Hubungi admin Ortala."
    assert exc.render("en") == "Period '2026' is closed; answers can no longer be changed. Contact the Ortala admin."
    assert exc.key == "err.period.closed" and exc.params == {"period": "2026"}


def test_a_plain_message_from_a_data_file_is_shown_as_it_is():
    exc = KepatuhanError("baris 3: nilai tidak dikenal")
    assert str(exc) == exc.render("en") == "baris 3: nilai tidak dikenal"


def test_storage_errors_keep_their_cause(tmp_path):
    (tmp_path / DB_FILE).mkdir()  # a folder where the database file should be: duckdb cannot open it
    with pytest.raises(StorageError) as caught:
        connect(tmp_path)
    assert caught.value.__cause__ is not None
    assert caught.value.key and caught.value.render("en") != str(caught.value)


def test_the_data_folder_error_keeps_its_cause(tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("x")
    with pytest.raises(StorageError) as caught:
        connect(blocker / "data")
    assert isinstance(caught.value.__cause__, OSError)
    assert "berkas" in caught.value.render("en") and "cannot be created" in caught.value.render("en")


def test_the_cli_renders_refusals_in_the_readers_language(monkeypatch, capsys):
    from cli import main as cli_main

    exc = KepatuhanError(key="err.access.admin_only")
    monkeypatch.setenv("KEPATUHAN_LANG", "en")
    assert cli_main.error_text(exc) == "Only an (Ortala) admin may do this."
    monkeypatch.delenv("KEPATUHAN_LANG")
    assert cli_main.error_text(exc) == "Hanya admin (Ortala) yang boleh melakukan ini."


def _show_keyed_error():
    import streamlit as st

    from assessment.errors import KepatuhanError
    from ui.feedback import show_error

    st.session_state["lang"] = st.session_state.get("want_lang", "id")
    show_error(KepatuhanError(key="err.indicator.unknown", indicator="*P1*"))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("id", "Indikator '*P1*' tidak ada di kriteria periode ini."),
        ("en", "Indicator '*P1*' is not in this period's criteria."),
    ],
)
def test_the_ui_helper_shows_the_error_in_the_readers_language_as_plain_text(lang, text):
    at = AppTest.from_function(_show_keyed_error)
    at.session_state["want_lang"] = lang
    at.run()
    assert len(at.error) == 1
    assert at.error[0].value.replace("\\", "") == text  # escaped: the stars are shown, not bold
    assert "\\*P1\\*" in at.error[0].value
