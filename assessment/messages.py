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
    "err.verify.unknown_decision": "Keputusan '{decision}' tidak dikenal; pilih terima, sesuaikan atau minta perbaikan.",
    "err.verify.no_na": "Indikator '{indicator}' tidak boleh dinilai N/A (tidak berlaku).",
    "err.verify.pick_value": "Pilih nilai terverifikasi pada skala indikator {indicator}: {allowed}.",
    "err.reopen.reason": "Tulis alasan membuka kembali penilaian ini; alasannya dicatat di jejak audit.",
    "err.access.verify_queue": "Antrean verifikasi hanya untuk verifikator dan admin Ortala.",
    "err.period.not_found": "Periode tidak ditemukan.",
    "err.period.name_taken": "Periode bernama '{name}' sudah ada. Pilih nama lain.",
    "err.period.status": "Status periode hanya 'open' (dibuka) atau 'closed' (ditutup).",
    "err.unit.not_found": "Unit dengan kode '{code}' tidak ditemukan.",
    "err.unit.code_taken": "Kode '{code}' sudah dipakai unit lain. Pilih kode yang unik.",
    "err.product.not_found": "Produk '{code}' tidak ada di unit {unit}.",
    "err.product.code_taken": "Kode produk '{code}' sudah ada di unit {unit}.",
    "err.evidence.future_date": "Tanggal bukti tidak boleh di masa depan. Isi tanggal dokumen atau foto dibuat.",
    "err.evidence.future_date_short": "Tanggal bukti tidak boleh di masa depan.",
    "err.evidence.blob_missing": "Berkas bukti tidak ditemukan di penyimpanan. Pulihkan dari cadangan atau unggah ulang.",
    "err.evidence.not_found": "Bukti tidak ditemukan.",
    "err.submit.empty": "Belum ada indikator yang dijawab. Isi penilaian dulu sebelum mengirim.",
    "err.tally.unknown_level": "Level {level} tidak ada pada indikator {indicator}. Muat ulang halaman.",
    "err.password.short": "Kata sandi minimal {n} karakter. Gunakan frasa yang mudah Anda ingat.",
    "err.password.weak": "Kata sandi terlalu mudah ditebak. Campurkan huruf dan angka atau gunakan beberapa kata.",
    "err.password.has_username": "Kata sandi tidak boleh memuat nama pengguna.",
    "err.setup.done": "Admin pertama sudah dibuat. Masuk dengan akun yang ada.",
    "err.role.unknown_pick": "Peran '{role}' tidak dikenal; pilih {roles}.",
    "err.user.head_needs_unit_code": "Kepala unit harus punya unit. Isi kode unitnya.",
    "err.user.taken": "Nama pengguna '{username}' sudah dipakai.",
    "err.user.not_found": "Pengguna '{username}' tidak ditemukan.",
    "err.role.unknown": "Peran '{role}' tidak dikenal.",
    "err.user.head_needs_unit": "Kepala unit harus punya unit.",
    "err.user.not_self": "Anda tidak bisa mencabut peran admin atau menonaktifkan akun Anda sendiri.",
    "err.password.old_wrong": "Kata sandi lama salah.",
    "err.password.same": "Kata sandi baru harus berbeda dari yang lama.",
    "err.survey.no_code": "Tidak menemukan kode unik; ulangi sekali lagi.",
    "err.survey.period_unit": "Periode atau unit layanan tidak ditemukan.",
    "err.survey.period_closed": "Periode '{period}' sudah ditutup; buat tautan pada periode yang terbuka.",
    "err.survey.product": "Produk layanan '{product}' tidak ada di unit {unit}.",
    "err.survey.unit_code": "Unit dengan kode '{code}' tidak ada.",
    "err.survey.link_not_found": "Tautan survei tidak ditemukan.",
    "err.survey.kiosk_name": "Beri nama perangkat kios, mis. 'Tablet loket 1'.",
    "err.unit.not_found_plain": "Unit tidak ditemukan.",
    "err.survey.kiosk_not_found": "Perangkat kios tidak ditemukan.",
    # --- issue 10d: the remaining raise sites, keyed ---
    "err.followup.text_required": "{field} wajib diisi (paling sedikit {min_len} karakter).",
    "err.followup.text_too_long": "{field} terlalu panjang (maksimal {max_len} karakter). Ringkas lalu simpan lagi.",
    "err.part.action_title": "Judul tindakan",
    "err.part.action_owner": "Penanggung jawab",
    "err.part.note": "Catatan",
    "err.followup.due_required": "Tanggal target wajib diisi (format TTTT-BB-HH).",
    "err.followup.due_past": "Tanggal target sudah lewat. Pilih hari ini atau tanggal sesudahnya.",
    "err.followup.due_far": "Tanggal target terlalu jauh (paling lama {years} tahun dari sekarang).",
    "err.followup.source_unknown": "Asal tindakan '{source}' tidak dikenal.",
    "err.followup.indicators_unknown": "Indikator tidak dikenal di kriteria periode '{period}': {indicators}.",
    "err.followup.needs_indicator": "Tindakan dari jalur, temuan atau indikator wilayah harus menyebut indikatornya.",
    "err.followup.already_open": "Sudah ada tindakan terbuka untuk {indicators}. Perbarui tindakan itu daripada membuat yang baru.",
    "err.followup.no_unit_missing": "Tidak ada unit yang masih kehilangan poin pada {indicator} tanpa tindakan terbuka.",
    "err.followup.closing_evidence_missing": "Bukti penutup tidak ditemukan pada penilaian unit ini. Unggah atau pilih bukti lagi.",
    "err.followup.closing_evidence_indicator": "Bukti penutup harus dilampirkan pada indikator tindakan ini ({indicators}).",
    "err.followup.not_started": "Unit ini belum memulai penilaian; jawaban tidak bisa dinaikkan.",
    "err.followup.cannot_raise": "{reason} Tutup tindakan tanpa menaikkan jawaban, atau minta admin membuka kembali.",
    "err.followup.action_not_found": "Tindakan tidak ditemukan; mungkin sudah dihapus dari daftar. Muat ulang halaman.",
    "err.followup.action_changed": "Tindakan ini baru saja diubah orang lain. Muat ulang halaman untuk melihat versi terbaru, lalu ulangi.",
    "err.followup.status_unknown": "Status '{status}' tidak dikenal; pilih {statuses}.",
    "err.followup.transition": "Status '{old}' tidak bisa langsung menjadi '{new}'.",
    "err.part.fu_status.rencana": "Rencana",
    "err.part.fu_status.berjalan": "Berjalan",
    "err.part.fu_status.selesai": "Selesai",
    "err.part.fu_status.dibatalkan": "Dibatalkan",
    "err.followup.close_needs_evidence": "Tindakan hanya bisa ditutup dengan bukti. Unggah atau pilih bukti penutupnya.",
    "err.followup.close_needs_note": "Tulis catatan penutup (paling sedikit 10 karakter): apa yang sudah dikerjakan.",
    "err.followup.cancel_needs_reason": "Tulis alasan pembatalan (paling sedikit 5 karakter).",
    "err.followup.reopen_needs_reason": "Tulis alasan membuka kembali tindakan ini (paling sedikit 5 karakter).",
    "err.followup.nothing_changed": "Tidak ada yang berubah.",
    "err.view.read_only": "Anda hanya dapat melihat penilaian ini.",
    "err.view.frozen": "Penilaian sudah dikirim dan dibekukan; jawaban tidak bisa diubah lagi.",
    "err.view.period_closed": "Periode '{period}' sudah ditutup; jawaban tidak bisa diubah.",
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
    "err.verify.unknown_decision": "Decision '{decision}' is unknown; choose accept, adjust or ask for a fix.",
    "err.verify.no_na": "Indicator '{indicator}' may not be rated N/A (not applicable).",
    "err.verify.pick_value": "Pick a verified value on the scale of indicator {indicator}: {allowed}.",
    "err.reopen.reason": "Write why this assessment is reopened; the reason is kept in the audit trail.",
    "err.access.verify_queue": "The verification queue is only for verifiers and Ortala admins.",
    "err.period.not_found": "Period not found.",
    "err.period.name_taken": "A period named '{name}' already exists. Choose another name.",
    "err.period.status": "A period's status is only 'open' or 'closed'.",
    "err.unit.not_found": "No unit has the code '{code}'.",
    "err.unit.code_taken": "The code '{code}' is used by another unit. Choose a unique code.",
    "err.product.not_found": "Product '{code}' is not in unit {unit}.",
    "err.product.code_taken": "Product code '{code}' already exists in unit {unit}.",
    "err.evidence.future_date": "The evidence date may not be in the future. Enter the date the document or photo was made.",
    "err.evidence.future_date_short": "The evidence date may not be in the future.",
    "err.evidence.blob_missing": "The evidence file is missing from storage. Restore it from a backup or upload it again.",
    "err.evidence.not_found": "Evidence not found.",
    "err.submit.empty": "No indicator is answered yet. Fill in the assessment before submitting.",
    "err.tally.unknown_level": "Level {level} does not exist on indicator {indicator}. Reload the page.",
    "err.password.short": "A password has at least {n} characters. Use a phrase you remember easily.",
    "err.password.weak": "This password is too easy to guess. Mix letters and digits or use several words.",
    "err.password.has_username": "A password may not contain the user name.",
    "err.setup.done": "The first admin already exists. Log in with an existing account.",
    "err.role.unknown_pick": "Role '{role}' is unknown; choose {roles}.",
    "err.user.head_needs_unit_code": "A unit head needs a unit. Enter the unit's code.",
    "err.user.taken": "The user name '{username}' is taken.",
    "err.user.not_found": "User '{username}' not found.",
    "err.role.unknown": "Role '{role}' is unknown.",
    "err.user.head_needs_unit": "A unit head needs a unit.",
    "err.user.not_self": "You cannot take the admin role from, or deactivate, your own account.",
    "err.password.old_wrong": "The old password is wrong.",
    "err.password.same": "The new password must differ from the old one.",
    "err.survey.no_code": "No unique code was found; try once more.",
    "err.survey.period_unit": "Period or service unit not found.",
    "err.survey.period_closed": "Period '{period}' is closed; make the link in an open period.",
    "err.survey.product": "Service product '{product}' is not in unit {unit}.",
    "err.survey.unit_code": "There is no unit with the code '{code}'.",
    "err.survey.link_not_found": "Survey link not found.",
    "err.survey.kiosk_name": "Name the kiosk device, e.g. 'Counter tablet 1'.",
    "err.unit.not_found_plain": "Unit not found.",
    "err.survey.kiosk_not_found": "Kiosk device not found.",
    # --- issue 10d: the remaining raise sites, keyed ---
    "err.followup.text_required": "{field} is required (at least {min_len} characters).",
    "err.followup.text_too_long": "{field} is too long (at most {max_len} characters). Shorten it and save again.",
    "err.part.action_title": "Action title",
    "err.part.action_owner": "Person responsible",
    "err.part.note": "Note",
    "err.followup.due_required": "A target date is required (format YYYY-MM-DD).",
    "err.followup.due_past": "The target date has passed. Pick today or a later date.",
    "err.followup.due_far": "The target date is too far away (at most {years} years from now).",
    "err.followup.source_unknown": "Action source '{source}' is unknown.",
    "err.followup.indicators_unknown": "Indicators unknown in the criteria of period '{period}': {indicators}.",
    "err.followup.needs_indicator": "An action from the path, a finding or a region indicator must name its indicators.",
    "err.followup.already_open": "There is already an open action for {indicators}. Update that action instead of making a new one.",
    "err.followup.no_unit_missing": "No unit still loses points on {indicator} without an open action.",
    "err.followup.closing_evidence_missing": "The closing evidence is not in this unit's assessment. Upload or pick the evidence again.",
    "err.followup.closing_evidence_indicator": "The closing evidence must be attached to this action's indicators ({indicators}).",
    "err.followup.not_started": "This unit has not started its assessment; no answer can be raised.",
    "err.followup.cannot_raise": "{reason} Close the action without raising the answers, or ask an admin to reopen.",
    "err.followup.action_not_found": "Action not found; it may have been removed from the list. Reload the page.",
    "err.followup.action_changed": "Someone else just changed this action. Reload the page to see the latest version, then retry.",
    "err.followup.status_unknown": "Status '{status}' is unknown; choose {statuses}.",
    "err.followup.transition": "Status '{old}' cannot change straight to '{new}'.",
    "err.part.fu_status.rencana": "Planned",
    "err.part.fu_status.berjalan": "In progress",
    "err.part.fu_status.selesai": "Done",
    "err.part.fu_status.dibatalkan": "Cancelled",
    "err.followup.close_needs_evidence": "An action can only be closed with evidence. Upload or pick its closing evidence.",
    "err.followup.close_needs_note": "Write a closing note (at least 10 characters): what was done.",
    "err.followup.cancel_needs_reason": "Write why it is cancelled (at least 5 characters).",
    "err.followup.reopen_needs_reason": "Write why this action is reopened (at least 5 characters).",
    "err.followup.nothing_changed": "Nothing changed.",
    "err.view.read_only": "You can only view this assessment.",
    "err.view.frozen": "The assessment was submitted and is frozen; answers can no longer be changed.",
    "err.view.period_closed": "Period '{period}' is closed; answers cannot be changed.",
}

MESSAGES = {"id": ERRORS_ID, "en": ERRORS_EN}


def message(key: str, lang: str = "id", /, **params: object) -> str:
    """The text of `key` in `lang` (Indonesian when missing there), with its parameters filled in; a parameter
    that is a `Phrase` (a keyed part such as a field name or a status) is put in the same language."""
    text = MESSAGES.get(lang, ERRORS_ID).get(key) or ERRORS_ID.get(key) or key
    if not params:
        return text
    return text.format(**{k: v.render(lang) if isinstance(v, Phrase) else v for k, v in params.items()})


class Phrase(str):
    """A keyed text that is also its Indonesian string: `Phrase("err.part.title")`. Used where a text is
    handed on (a field name inside an error, a view's read-only reason) and rendered later in the reader's
    language with `render(lang)`; as a plain str it reads as before."""

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, /, **params: object) -> Phrase:
        obj = super().__new__(cls, message(key, "id", **params))
        obj.key = key
        obj.params = params
        return obj

    def render(self, lang: str = "id") -> str:
        return message(self.key, lang, **self.params)
