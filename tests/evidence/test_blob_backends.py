"""The evidence store's shared behaviour, on both backends: files in the data folder and S3-compatible
object storage (a real SeaweedFS server, tests/s3_server.py). Disk-only details (fsync, temp files, crash
points) are in test_blobs.py; S3-only ones (keys, conditional put, refused or unreachable server) below."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
from pathlib import Path

import pytest

from evidence import BlobNotFound, BlobStore, BlobStoreError, InvalidBlobId, open_evidence_store
from evidence.s3_blobs import (
    BucketMissing,
    EvidenceUrlError,
    ObjectStoreRefused,
    ObjectStoreUnavailable,
    S3BlobStore,
    client_from_env,
    parse_url,
)

DATA = b"%PDF-1.4\nbukti\n"
SHA = hashlib.sha256(DATA).hexdigest()
HOURS_2 = 2 * 3600


class Disk:
    def __init__(self, root: Path) -> None:
        self.store = BlobStore(root)

    def overwrite(self, sha: str, data: bytes) -> None:
        self.store.path(sha).write_bytes(data)

    def add_foreign(self, rel: str, data: bytes = b"x") -> None:
        path = self.store.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def age_all(self) -> None:
        """Everything stored so far looks two hours old."""
        when = time.time() - HOURS_2
        for path in self.store.root.rglob("*"):
            if path.is_file():
                os.utime(path, (when, when))


class S3:
    def __init__(self, url: str) -> None:
        self.store = S3BlobStore.from_url(url)

    def overwrite(self, sha: str, data: bytes) -> None:
        self.store.client.put_object(Bucket=self.store.bucket, Key=self.store.key(sha), Body=data)

    def add_foreign(self, rel: str, data: bytes = b"x") -> None:
        self.store.client.put_object(Bucket=self.store.bucket, Key=f"{self.store.prefix}/{rel}", Body=data)

    def age_all(self) -> None:
        """Everything stored so far looks two hours old: the store's clock moves on (LastModified is the server's)."""
        self.store.clock = lambda: time.time() + HOURS_2

    def keys(self) -> list[str]:
        listed = self.store.client.list_objects_v2(Bucket=self.store.bucket, Prefix=self.store.prefix + "/")
        return sorted(o["Key"] for o in listed.get("Contents", ()))


@pytest.fixture(params=["disk", "s3"])
def backend(request, tmp_path):
    if request.param == "disk":
        return Disk(tmp_path / "evidence")
    return S3(request.getfixturevalue("s3_evidence_env"))


@pytest.fixture
def s3(s3_evidence_env) -> S3:
    return S3(s3_evidence_env)


# -- shared behaviour ------------------------------------------------------------------------


def test_put_get_roundtrip(backend):
    store = backend.store
    assert list(store.iter_hashes()) == [] and store.collect_orphans(set()) == []
    assert store.put(DATA) == SHA
    assert store.get(SHA) == DATA
    assert store.get(SHA, verify=True) == DATA
    assert store.exists(SHA) and store.verify(SHA)
    with store.open(SHA) as blob:
        assert blob.read() == DATA
    assert list(store.iter_hashes()) == [SHA]


def test_put_does_not_rewrite_an_existing_blob_of_the_same_size(backend):
    """An existing blob is kept as it is (a conditional put on S3): the proof is a same-size change that a
    rewrite would have undone."""
    backend.store.put(DATA)
    tampered = DATA.replace(b"bukti", b"bukte")
    backend.overwrite(SHA, tampered)
    assert backend.store.put(DATA) == SHA
    assert backend.store.get(SHA) == tampered
    assert not backend.store.verify(SHA)
    with pytest.raises(BlobNotFound):
        backend.store.get(SHA, verify=True)


def test_put_repairs_a_truncated_blob(backend):
    backend.store.put(DATA)
    backend.overwrite(SHA, DATA[:3])
    assert not backend.store.verify(SHA)
    backend.store.put(DATA)
    assert backend.store.verify(SHA) and backend.store.get(SHA) == DATA


def test_distinct_contents_listed_sorted_and_empty_bytes_stored(backend):
    hashes = {backend.store.put(f"bukti {i}".encode()) for i in range(30)}
    hashes.add(backend.store.put(b""))
    assert hashlib.sha256(b"").hexdigest() in hashes and backend.store.get(hashlib.sha256(b"").hexdigest()) == b""
    assert len(hashes) == 31
    assert list(backend.store.iter_hashes()) == sorted(hashes)


@pytest.mark.parametrize("bad", ["", "../../etc/passwd", SHA[:63], SHA.upper(), SHA[:62] + "/x", "g" * 64, None])
def test_invalid_ids_are_refused_before_any_request(backend, bad):
    for call in (backend.store.get, backend.store.exists, backend.store.open, backend.store.verify):
        with pytest.raises(InvalidBlobId):
            call(bad)


def test_missing_blob(backend):
    missing = "0" * 64
    with pytest.raises(BlobNotFound) as err:
        backend.store.get(missing)
    assert str(err.value).startswith("Berkas bukti 000000000000… tidak ditemukan di penyimpanan.")
    with pytest.raises(BlobNotFound):
        backend.store.open(missing)
    assert not backend.store.exists(missing)
    assert not backend.store.verify(missing)


def test_collect_orphans_keeps_referenced_and_young_blobs(backend):
    store = backend.store
    kept, orphan, young = store.put(b"referenced"), store.put(b"orphan"), store.put(b"baru diunggah")
    assert store.collect_orphans({kept}) == []  # all younger than the grace period (an hour)
    assert {kept, orphan, young} == set(store.iter_hashes())
    backend.age_all()
    assert store.collect_orphans({kept}) == sorted([orphan, young])
    assert list(store.iter_hashes()) == [kept]
    assert store.get(kept) == b"referenced"


def test_collect_orphans_ignores_foreign_objects(backend):
    backend.store.put(DATA)
    for rel in ("README.txt", f"{SHA[:2]}/notes.txt", "zz/zz/" + "z" * 64, f"00/00/{SHA}"):
        backend.add_foreign(rel)
    backend.age_all()
    assert list(backend.store.iter_hashes()) == [SHA]
    assert backend.store.collect_orphans(set()) == [SHA]
    assert list(backend.store.iter_hashes()) == []


def test_concurrent_puts_of_the_same_data(backend):
    data = os.urandom(256 * 1024)
    expected = hashlib.sha256(data).hexdigest()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            for _ in range(5):
                results.append(backend.store.put(data))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [expected] * 30
    assert list(backend.store.iter_hashes()) == [expected]
    assert backend.store.verify(expected)


def test_put_stream_hashes_while_copying_and_dedupes(backend):
    data = os.urandom(3 * 1024 * 1024 + 17)
    sha = backend.store.put_stream(io.BytesIO(data))
    assert sha == hashlib.sha256(data).hexdigest()
    assert backend.store.get(sha) == data
    assert backend.store.put_stream(io.BytesIO(data)) == sha
    assert backend.store.put(data) == sha
    assert list(backend.store.iter_hashes()) == [sha]


def test_put_stream_over_the_limit_stores_nothing(backend):
    with pytest.raises(ValueError):
        backend.store.put_stream(io.BytesIO(b"x" * 100), max_bytes=99)
    assert list(backend.store.iter_hashes()) == []


def test_open_streams_in_chunks(backend):
    data = os.urandom(2 * 1024 * 1024 + 5)
    sha = backend.store.put(data)
    with backend.store.open(sha) as stream:
        first = stream.read(1000)
        rest = stream.read()
    assert first + rest == data and len(first) == 1000


# -- S3 only ---------------------------------------------------------------------------------


def test_s3_keys_are_content_addressed_under_the_prefix(s3):
    s3.store.put(DATA)
    assert s3.keys() == [f"{s3.store.prefix}/{SHA[:2]}/{SHA[2:4]}/{SHA}"]
    assert s3.store.key(SHA) == f"{s3.store.prefix}/{SHA[:2]}/{SHA[2:4]}/{SHA}"


def test_s3_open_refuses_bytes_that_do_not_match_their_name_at_the_end(s3):
    s3.store.put(DATA)
    s3.overwrite(SHA, DATA.replace(b"bukti", b"bukte"))
    with s3.store.open(SHA) as stream, pytest.raises(BlobNotFound):
        while stream.read(4):
            pass


def test_s3_put_of_an_old_orphan_refreshes_it_so_it_survives_collection(s3):
    """A second put of stored bytes (the row is about to be inserted) moves LastModified on, so the orphan
    collector, which looks again just before deleting, keeps it."""
    stale = s3.store.put(b"yatim lama")
    sha = s3.store.put(DATA)
    first = s3.store.client.head_object(Bucket=s3.store.bucket, Key=s3.store.key(sha))["LastModified"]
    time.sleep(1.1)  # LastModified has one-second resolution
    s3.store.put(DATA)
    refreshed = s3.store.client.head_object(Bucket=s3.store.bucket, Key=s3.store.key(sha))["LastModified"]
    assert refreshed > first
    # an hour later than just before the refresh: the orphan is old, the refreshed blob is not
    s3.store.clock = lambda: refreshed.timestamp() - 0.5 + 3600
    assert s3.store.collect_orphans(set()) == [stale]
    assert s3.store.get(sha, verify=True) == DATA


def test_s3_unreachable_server_says_so(monkeypatch, s3_server):
    env = dict(s3_server.env(), AWS_ENDPOINT_URL="http://127.0.0.1:9")  # discard port: nothing listens
    store = S3BlobStore(client_from_env(env), "bukti", "uji/mati")
    calls = (lambda: store.put(DATA), lambda: store.get(SHA), lambda: store.exists(SHA), lambda: [*store.iter_hashes()])
    for call in calls:
        with pytest.raises(ObjectStoreUnavailable) as err:
            call()
        assert "Penyimpanan objek untuk berkas bukti (http://127.0.0.1:9) tidak dapat dihubungi" in str(err.value)
        assert "AWS_ENDPOINT_URL" in str(err.value)


def test_s3_wrong_keys_and_missing_bucket_are_refused_with_what_to_do(s3_server):
    bad_keys = S3BlobStore(client_from_env(dict(s3_server.env(), AWS_SECRET_ACCESS_KEY="salah")), "bukti", "uji")
    with pytest.raises(ObjectStoreRefused) as err:
        bad_keys.put(DATA)
    assert "Periksa AWS_ACCESS_KEY_ID dan AWS_SECRET_ACCESS_KEY" in str(err.value)
    no_bucket = S3BlobStore(client_from_env(s3_server.env()), "tidak-ada", "uji")
    with pytest.raises(BucketMissing) as err:
        no_bucket.put(DATA)
    assert "Bucket 'tidak-ada' untuk berkas bukti tidak ada" in str(err.value)
    assert isinstance(err.value, BlobStoreError)
    with pytest.raises(BucketMissing):
        list(no_bucket.iter_hashes())


# -- choosing the store ----------------------------------------------------------------------


def test_factory_picks_files_without_url_and_s3_with_one(tmp_path, monkeypatch, s3_evidence_env):
    chosen = open_evidence_store(tmp_path / "ev")
    assert isinstance(chosen, S3BlobStore) and chosen.bucket == "bukti"
    assert chosen.prefix == s3_evidence_env.removeprefix("s3://bukti/")
    monkeypatch.delenv("KEPATUHAN_EVIDENCE_URL")
    plain = open_evidence_store(tmp_path / "ev")
    assert isinstance(plain, BlobStore) and plain.root == tmp_path / "ev"
    monkeypatch.setenv("KEPATUHAN_EVIDENCE_URL", "  ")
    assert isinstance(open_evidence_store(tmp_path / "ev"), BlobStore)


@pytest.mark.parametrize(
    "url,prefix",
    [("s3://bukti", ""), ("s3://bukti/", ""), ("s3://bukti/kab/2025/", "kab/2025")],
)
def test_urls_are_parsed(url, prefix):
    assert parse_url(url) == ("bukti", prefix)


@pytest.mark.parametrize(
    "url",
    ["http://bukti/x", "s3://", "s3://Bukti_Besar/x", "s3://bukti/../x", "s3://bukti//x", "s3://k:r@bukti/x"],
)
def test_bad_urls_are_refused_with_the_form_to_use(url):
    with pytest.raises(EvidenceUrlError) as err:
        parse_url(url)
    assert "Tulis 's3://nama-bucket/awalan'" in str(err.value)


def test_s3_errors_read_in_english_too():
    err = ObjectStoreUnavailable("http://s3.lokal:8333")
    assert str(err).startswith("Penyimpanan objek untuk berkas bukti (http://s3.lokal:8333) tidak dapat dihubungi")
    assert err.render("en").startswith("The object storage for evidence files (http://s3.lokal:8333) cannot be reached")
    bad = EvidenceUrlError("ftp://x", "scheme")
    assert "hanya alamat s3:// yang dikenal" in str(bad) and "only s3:// addresses are known" in bad.render("en")
