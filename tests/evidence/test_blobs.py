"""Content-addressed blob store: durable, idempotent, never a partial file, orphans collected."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
from pathlib import Path

import pytest

from evidence import BlobNotFound, BlobStore, BlobWriteError, InvalidBlobId
from evidence import blobs as blobs_module

DATA = b"%PDF-1.4\nbukti\n"
SHA = hashlib.sha256(DATA).hexdigest()
OLD = time.time() - 2 * 3600


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "evidence")


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def age(path: Path, when: float = OLD) -> None:
    os.utime(path, (when, when))


def test_put_get_roundtrip_with_two_level_fan_out(store):
    assert store.put(DATA) == SHA
    assert store.path(SHA) == store.root / SHA[:2] / SHA[2:4] / SHA
    assert store.path(SHA).read_bytes() == DATA
    assert store.get(SHA) == DATA
    assert store.get(SHA, verify=True) == DATA
    assert store.exists(SHA)
    with store.open(SHA) as blob:
        assert blob.read() == DATA
    assert all_files(store.root) == [store.path(SHA)]


def test_root_is_created_on_first_put_only(tmp_path):
    store = BlobStore(tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()
    assert list(store.iter_hashes()) == []
    assert store.collect_orphans(set()) == []
    store.put(b"x")
    assert (tmp_path / "a" / "b").is_dir()


def test_put_is_idempotent_and_does_not_rewrite(store, monkeypatch):
    store.put(DATA)
    inode = store.path(SHA).stat().st_ino

    def no_write(*args, **kwargs):
        raise AssertionError("an existing blob must not be rewritten")

    monkeypatch.setattr(blobs_module.tempfile, "mkstemp", no_write)
    assert store.put(DATA) == SHA
    assert store.path(SHA).stat().st_ino == inode
    assert all_files(store.root) == [store.path(SHA)]


def test_put_repairs_a_truncated_blob(store):
    store.put(DATA)
    store.path(SHA).write_bytes(DATA[:3])
    assert not store.verify(SHA)
    store.put(DATA)
    assert store.verify(SHA) and store.get(SHA) == DATA


def test_distinct_contents_get_distinct_files(store):
    hashes = {store.put(f"bukti {i}".encode()) for i in range(50)}
    assert len(hashes) == 50
    assert sorted(store.iter_hashes()) == sorted(hashes)
    assert list(store.iter_hashes()) == sorted(hashes)


def test_empty_bytes_can_be_stored(store):
    sha = store.put(b"")
    assert sha == hashlib.sha256(b"").hexdigest() and store.get(sha) == b""


# -- crash safety ----------------------------------------------------------------------------


def test_crash_before_rename_leaves_no_final_and_no_partial_file(store, monkeypatch):
    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(blobs_module.os, "replace", crash)
    with pytest.raises(BlobWriteError) as err:
        store.put(DATA)
    assert isinstance(err.value.__cause__, OSError)
    assert str(err.value) == (
        "Berkas bukti gagal disimpan (No space left on device); tidak ada yang tersimpan sebagian. "
        "Periksa ruang disk dan izin folder data, lalu unggah lagi."
    )
    assert not store.exists(SHA)
    assert not store.path(SHA).exists()
    assert all_files(store.root) == []  # the temp file is gone too

    monkeypatch.undo()
    assert store.put(DATA) == SHA
    assert store.get(SHA) == DATA


def test_crash_during_fsync_leaves_nothing(store, monkeypatch):
    def crash(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(blobs_module.os, "fsync", crash)
    with pytest.raises(BlobWriteError, match="Input/output error"):
        store.put(DATA)
    assert all_files(store.root) == []
    monkeypatch.undo()
    assert store.put(DATA) == SHA


def test_killed_process_leaves_only_a_temp_file_that_is_collected(store):
    """A process killed mid-write leaves `.tmp-*` in the blob's directory, never the final name."""
    store.put(DATA)
    leftover = store.path(SHA).parent / ".tmp-deadbeef-abc"
    leftover.write_bytes(DATA[:4])
    assert list(store.iter_hashes()) == [SHA]
    assert store.collect_orphans({SHA}) == []
    assert leftover.exists()  # young: may belong to a write in flight
    age(leftover)
    assert store.collect_orphans({SHA}) == []
    assert not leftover.exists()
    assert store.get(SHA) == DATA


# -- ids are validated, never trusted --------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "../../etc/passwd",
        SHA[:63],
        SHA + "0",
        SHA.upper(),
        SHA[:62] + "/x",
        "g" * 64,
        SHA + "\n",
        "../" + SHA[3:],
        None,
        123,
    ],
)
def test_invalid_ids_are_refused_before_any_path_is_built(store, bad):
    message = "Kode berkas bukti tidak valid: harus 64 karakter heksadesimal huruf kecil (sha256)."
    for call in (store.path, store.get, store.exists, store.open, store.verify):
        with pytest.raises(InvalidBlobId) as err:
            call(bad)
        assert str(err.value).startswith(message)


def test_missing_blob(store):
    missing = "0" * 64
    with pytest.raises(BlobNotFound) as err:
        store.get(missing)
    assert str(err.value).startswith("Berkas bukti 000000000000… tidak ditemukan di penyimpanan. Unggah ulang")
    with pytest.raises(BlobNotFound):
        store.open(missing)
    assert not store.exists(missing)
    assert not store.verify(missing)


def test_verify_detects_bit_rot(store):
    store.put(DATA)
    assert store.verify(SHA)
    store.path(SHA).write_bytes(DATA.replace(b"bukti", b"bukte"))
    assert not store.verify(SHA)
    with pytest.raises(BlobNotFound):
        store.get(SHA, verify=True)


# -- orphan collection -----------------------------------------------------------------------


def test_collect_orphans_respects_referenced_set_and_grace_period(store):
    kept = store.put(b"referenced")
    orphan = store.put(b"orphan")
    young = store.put(b"just uploaded, row not inserted yet")
    for sha in (kept, orphan):
        age(store.path(sha))

    assert store.collect_orphans({kept}) == [orphan]
    assert store.exists(kept) and store.exists(young)
    assert not store.exists(orphan)

    assert store.collect_orphans({kept}, older_than_seconds=0) == [young]
    assert list(store.iter_hashes()) == [kept]


def test_put_of_an_old_orphan_refreshes_it_so_it_survives_collection(store):
    sha = store.put(DATA)
    age(store.path(sha))
    store.put(DATA)  # the same bytes uploaded again; the row is about to be inserted
    assert store.collect_orphans(set()) == []
    assert store.get(sha) == DATA


def test_collect_orphans_ignores_foreign_files(store):
    store.put(DATA)
    foreign = [
        store.root / "README.txt",
        store.root / SHA[:2] / "notes.txt",
        store.root / "zz" / "zz" / ("z" * 64),
        store.root / "00" / "00" / SHA,  # a valid hash in the wrong directory is not a blob
    ]
    for path in foreign:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        age(path)
    age(store.path(SHA))
    assert list(store.iter_hashes()) == [SHA]
    assert store.collect_orphans(set()) == [SHA]
    assert all(p.exists() for p in foreign)


def test_collect_puts_back_a_blob_touched_while_it_was_being_removed(store, monkeypatch):
    sha = store.put(DATA)
    age(store.path(sha))
    real_rename = os.rename

    def rename_after_a_concurrent_put(src, dst):
        os.utime(src)  # a put() of the same bytes lands between the age check and the rename
        real_rename(src, dst)

    monkeypatch.setattr(blobs_module.os, "rename", rename_after_a_concurrent_put)
    assert store.collect_orphans(set()) == []
    assert store.get(sha, verify=True) == DATA
    assert all_files(store.root) == [store.path(sha)]


# -- concurrency and streams -----------------------------------------------------------------


def test_concurrent_puts_of_the_same_data_from_8_threads(store):
    data = os.urandom(256 * 1024)
    expected = hashlib.sha256(data).hexdigest()
    barrier = threading.Barrier(8)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            for _ in range(20):
                results.append(store.put(data))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [expected] * 160
    assert all_files(store.root) == [store.path(expected)]
    assert store.verify(expected)


def test_concurrent_puts_of_different_data(store):
    payloads = [os.urandom(1024) + bytes([i]) for i in range(64)]
    threads = [threading.Thread(target=store.put, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(store.iter_hashes()) == sorted(hashlib.sha256(p).hexdigest() for p in payloads)


def test_put_stream_hashes_while_copying(store):
    data = os.urandom(3 * 1024 * 1024 + 17)
    sha = store.put_stream(io.BytesIO(data))
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.get(sha) == data
    assert store.put_stream(io.BytesIO(data)) == sha  # dedupe
    assert store.put(data) == sha
    assert all_files(store.root) == [store.path(sha)]


def test_put_stream_over_the_limit_stores_nothing(store):
    with pytest.raises(ValueError):
        store.put_stream(io.BytesIO(b"x" * 100), max_bytes=99)
    assert all_files(store.root) == []


def test_put_stream_crash_leaves_nothing(store, monkeypatch):
    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(blobs_module.os, "replace", crash)
    with pytest.raises(BlobWriteError):
        store.put_stream(io.BytesIO(DATA))
    assert all_files(store.root) == []
