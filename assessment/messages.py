"""Error messages by key, in Bahasa Indonesia (default) and English (issue 10).

Plain data in the pure core, so the services, the CLI and the UI render the same keyed error in the
reader's language; the UI catalogs (ui/i18n/catalog_*.py) include these lines under `# --- issue 10 ---`.
Each text says what to do. Placeholders are `{name}` and must be the same in both languages.
"""

from __future__ import annotations

ERRORS_ID: dict[str, str] = {
    "err.storage.locked": (
        "Database sedang dipakai oleh proses lain{holder} (aplikasi Kepatuhan yang sedang berjalan?). "
        "Tutup aplikasinya dulu lalu ulangi perintah ini, atau lakukan perubahan lewat aplikasi."
    ),
    "err.storage.conflict": (
        "Data ini baru saja diubah di tempat lain. Muat ulang halaman untuk melihat versi terbaru, lalu ulangi."
    ),
    "err.storage.constraint": "Data bertentangan dengan data yang sudah ada. ({detail})",
    "err.storage.io": "Database tidak bisa dibaca atau ditulis. Periksa folder data dan ruang disk. ({detail})",
    "err.storage.other": "Terjadi kesalahan penyimpanan. ({detail})",
    "err.storage.data_dir": "Folder data '{path}' tidak bisa dibuat. Periksa izin folder. ({detail})",
    "err.assessment.not_found": "Penilaian tidak ditemukan.",
    "err.period.closed": "Periode '{period}' sudah ditutup; jawaban tidak bisa diubah. Hubungi admin Ortala.",
    "err.assessment.frozen": "Penilaian ini sudah dikirim dan dibekukan; jawaban tidak bisa diubah lagi.",
    "err.indicator.unknown": "Indikator '{indicator}' tidak ada di kriteria periode ini.",
    "err.access.read_unit": "Anda tidak berhak melihat data unit ini. Hubungi admin Ortala bila ini keliru.",
    "err.access.answer_unit": "Anda tidak berhak mengisi penilaian unit ini. Hanya kepala unit tersebut atau admin.",
    "err.access.admin_only": "Hanya admin (Ortala) yang boleh melakukan ini.",
    "err.assessment.pick_again": "Periode atau unit tidak ditemukan. Pilih lagi dari daftar.",
    "err.assessment.not_started": "Unit ini belum memulai penilaian pada periode ini.",
    "err.tally.not_per_respondent": (
        "Indikator '{indicator}' tidak dijawab per responden; rekap jumlah tidak berlaku."
    ),
    "err.tally.count": "Jumlah responden harus bilangan bulat 0 atau lebih.",
    "err.note.too_long": "Catatan terlalu panjang (maksimal 4.000 karakter). Ringkas lalu simpan lagi.",
}

ERRORS_EN: dict[str, str] = {
    "err.storage.locked": (
        "The database is in use by another process{holder} (is the Kepatuhan app running?). "
        "Close the app first and run this command again, or make the change in the app."
    ),
    "err.storage.conflict": "This data was just changed elsewhere. Reload the page to see the latest version, then retry.",
    "err.storage.constraint": "This data conflicts with data already stored. ({detail})",
    "err.storage.io": "The database cannot be read or written. Check the data folder and the free disk space. ({detail})",
    "err.storage.other": "A storage error occurred. ({detail})",
    "err.storage.data_dir": "The data folder '{path}' cannot be created. Check the folder permissions. ({detail})",
    "err.assessment.not_found": "Assessment not found.",
    "err.period.closed": "Period '{period}' is closed; answers can no longer be changed. Contact the Ortala admin.",
    "err.assessment.frozen": "This assessment was submitted and is frozen; answers can no longer be changed.",
    "err.indicator.unknown": "Indicator '{indicator}' is not in this period's criteria.",
    "err.access.read_unit": "You may not see this unit's data. Contact the Ortala admin if this is wrong.",
    "err.access.answer_unit": "You may not fill in this unit's assessment. Only its unit head or an admin may.",
    "err.access.admin_only": "Only an (Ortala) admin may do this.",
    "err.assessment.pick_again": "Period or unit not found. Pick again from the list.",
    "err.assessment.not_started": "This unit has not started an assessment in this period.",
    "err.tally.not_per_respondent": "Indicator '{indicator}' is not answered per respondent; a count does not apply.",
    "err.tally.count": "The number of respondents must be a whole number, 0 or more.",
    "err.note.too_long": "The note is too long (at most 4,000 characters). Shorten it and save again.",
}

MESSAGES = {"id": ERRORS_ID, "en": ERRORS_EN}


def message(key: str, lang: str = "id", /, **params: object) -> str:
    """The text of `key` in `lang` (Indonesian when missing there), with its parameters filled in."""
    text = MESSAGES.get(lang, ERRORS_ID).get(key) or ERRORS_ID.get(key) or key
    return text.format(**params) if params else text
