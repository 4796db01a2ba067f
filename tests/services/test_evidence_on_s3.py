"""Evidence through the services with KEPATUHAN_EVIDENCE_URL=s3://…, against a real SeaweedFS server: attached,
downloaded back with its hash checked, orphans collected, nothing on the local disk; backup refuses."""

from __future__ import annotations

import hashlib
import time

import pytest

from assessment.errors import KepatuhanError
from evidence import BlobStore
from evidence.s3_blobs import ObjectStoreUnavailable, S3BlobStore, client_from_env
from services.answering.evidence_files import (
    attach_evidence,
    blob_store,
    collect_orphans,
    evidence_download,
    remove_evidence,
)
from services.ops.demo import sample_png
from store.db import evidence_root


def png(seed: int) -> bytes:
    return sample_png(6, 4, rgb=(seed % 256, 90, 30))


def attach(w, data: bytes, name: str = "papan.png"):
    return attach_evidence(
        w.con, w.blobs, w.head, assessment_id=w.assessment, indicator_id="IN-02", data=data, file_name=name
    )


def local_files(w) -> list:
    return [p for p in evidence_root(w.root).rglob("*") if p.is_file()]


def test_attach_then_download_back_through_object_storage(s3_evidence_env, world):
    w = world
    assert isinstance(w.blobs, S3BlobStore) and w.blobs.prefix == s3_evidence_env.removeprefix("s3://bukti/")
    data = png(1)
    record = attach(w, data)
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    head = w.blobs.client.head_object(Bucket="bukti", Key=w.blobs.key(record.sha256))
    assert head["ContentLength"] == len(data)
    assert local_files(w) == []  # nothing went to the data folder

    # a fresh store from the same configuration (another app process) serves the same file
    again = blob_store(w.root)
    download = evidence_download(w.con, again, w.head, evidence_id=record.id)
    assert hashlib.sha256(download.data).hexdigest() == record.sha256
    assert (download.file_name, download.media_type, download.preview) == ("papan.png", "image/png", "image")
    with again.open(record.sha256) as stream:  # streamed, hash checked at the end
        streamed = b"".join(iter(lambda: stream.read(7), b""))
    assert streamed == data


def test_orphans_are_collected_and_a_removed_files_bytes_stay(s3_evidence_env, world):
    w = world
    kept = attach(w, png(2))
    removed = attach(w, png(3), "lama.png")
    remove_evidence(w.con, w.head, evidence_id=removed.id)  # the row stays for the audit trail: so do the bytes
    stray = w.blobs.put(b"unggahan yang barisnya tidak pernah tersimpan")
    assert collect_orphans(w.con, w.blobs) == []  # everything is younger than the grace period
    w.blobs.clock = lambda: time.time() + 2 * 3600  # two hours on
    assert collect_orphans(w.con, w.blobs) == [stray]
    assert set(w.blobs.iter_hashes()) == {kept.sha256, removed.sha256}


def test_a_missing_object_gives_the_usual_message(s3_evidence_env, world):
    w = world
    record = attach(w, png(4))
    w.blobs.client.delete_object(Bucket="bukti", Key=w.blobs.key(record.sha256))
    with pytest.raises(KepatuhanError) as err:
        evidence_download(w.con, w.blobs, w.head, evidence_id=record.id)
    assert str(err.value).startswith("Berkas bukti tidak ditemukan di penyimpanan.")


def test_an_unreachable_object_store_refuses_the_upload_and_records_nothing(s3_evidence_env, world, s3_server):
    w = world
    before = w.snapshot()
    down = S3BlobStore(client_from_env(dict(s3_server.env(), AWS_ENDPOINT_URL="http://127.0.0.1:9")), "bukti", "x")
    with pytest.raises(ObjectStoreUnavailable) as err:
        attach_evidence(
            w.con, down, w.head, assessment_id=w.assessment, indicator_id="IN-02", data=png(5), file_name="a.png"
        )
    assert "tidak dapat dihubungi" in str(err.value) and "AWS_ENDPOINT_URL" in str(err.value)
    assert w.snapshot() == before


def test_without_the_url_evidence_stays_in_the_data_folder(world):
    w = world
    assert isinstance(w.blobs, BlobStore)
    record = attach(w, png(6))
    assert local_files(w) == [w.blobs.path(record.sha256)]


@pytest.mark.duckdb_only  # the file backup; the scaled deployment's backup: tests/services/test_backup_postgres.py
def test_backup_refuses_while_evidence_is_in_object_storage(s3_evidence_env, world, capsys, tmp_path):
    from cli.main import main

    out = tmp_path / "cadangan.zip"
    assert main(["backup", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Data tidak dicadangkan: berkas bukti disimpan di penyimpanan objek (KEPATUHAN_EVIDENCE_URL)" in err
    assert "Traceback" not in err and not out.exists()
    assert main(["restore", str(out), "--force"]) == 1
    assert "Data tidak dipulihkan" in capsys.readouterr().err
