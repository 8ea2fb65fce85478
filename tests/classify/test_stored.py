"""The suggestion index kept on disk (``classify.stored``): a process starting up loads the index
the last one built for the same tariff, CIQ and glossary text and the same code, instead of
building it again; anything else (another fingerprint, a broken file) is built afresh."""

from __future__ import annotations

import pickle

import pytest

from guanwu.classify import knowledge, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_disk(settings, tmp_path):
    knowledge.current()  # built once per test process, before the data directory moves
    settings.CLASSIFY_INDEX_DIR = tmp_path / "classify"
    settings.CLASSIFY_INDEX_CACHE = True
    saved = dict(knowledge._cache)
    yield tmp_path / "classify"
    knowledge._cache.clear()
    knowledge._cache.update(saved)


def test_a_new_process_loads_the_stored_index_instead_of_building_it(on_disk, monkeypatch):
    known = knowledge.current()
    stored.store(known)
    assert [p.name for p in on_disk.glob("index-*")] == [stored.path_for(known.fingerprint).name]
    knowledge._cache.clear()  # as in a new process

    def no_build(*args, **kwargs):
        raise AssertionError("built although a stored index fits")

    monkeypatch.setattr(knowledge, "build", no_build)
    loaded = knowledge.current()
    assert loaded is not known and loaded.fingerprint == known.fingerprint
    query = knowledge.prepare("不锈钢保温杯 500ml 真空")
    assert loaded.top(query, 5) == known.top(query, 5)


def test_a_broken_or_foreign_file_is_built_afresh_and_replaced(on_disk, monkeypatch):
    known = knowledge.current()
    path = stored.path_for(known.fingerprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x80\x05 not a whole pickle")
    assert stored.load(known.fingerprint, knowledge.Knowledge) is None
    path.write_bytes(pickle.dumps({"fingerprint": known.fingerprint}))  # not an index
    assert stored.load(known.fingerprint, knowledge.Knowledge) is None
    built = []
    monkeypatch.setattr(knowledge, "build", lambda *a: built.append(a) or known)
    knowledge._cache.clear()
    assert knowledge.current() is known and len(built) == 1
    # written over the broken one
    assert stored.load(known.fingerprint, knowledge.Knowledge).fingerprint == known.fingerprint


def test_another_tariff_or_code_gets_another_file_and_the_old_one_goes(on_disk, monkeypatch):
    known = knowledge.current()
    stored.store(known)
    first = stored.path_for(known.fingerprint)
    monkeypatch.setattr(stored, "_code_digest", "code changed")
    assert stored.path_for(known.fingerprint) != first  # a change of the building code
    assert stored.load(known.fingerprint, knowledge.Knowledge) is None
    stored.store(known)
    assert [p.name for p in on_disk.glob("index-*")] == [stored.path_for(known.fingerprint).name]


def test_processes_starting_together_build_once(on_disk):
    """The second process waits while the first builds, then finds the index on disk."""
    import threading
    import time

    order = []

    def second():
        with stored.lock():
            order.append("second")

    with stored.lock():
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.3)
        order.append("first done")
    other.join(5)
    assert order == ["first done", "second"]


def test_nothing_is_written_when_turned_off(settings, tmp_path):
    settings.CLASSIFY_INDEX_DIR = tmp_path / "classify"
    settings.CLASSIFY_INDEX_CACHE = False
    stored.store(knowledge.current())
    with stored.lock():
        pass
    assert not (tmp_path / "classify").exists()


def test_the_arrays_are_shared_read_only_views_of_the_file(on_disk):
    """The matrices and classifier weights are read from a memory map of the file (shared between
    the processes of a machine through the page cache), not copied into each process."""
    known = knowledge.current()
    stored.store(known)
    loaded = stored.load(known.fingerprint, knowledge.Knowledge)
    # an array unpickled in band owns a writeable copy; a view of the read-only map does neither
    for array in (loaded.items_t.data, loaded.names_t.indices, loaded.heading_of,
                  loaded.heading_model.weights.data):
        assert not array.flags.writeable and not array.flags.owndata
    query = knowledge.prepare("男士纯棉针织圆领T恤")
    assert loaded.top(query, 5) == known.top(query, 5)


def test_a_file_cut_short_is_not_read(on_disk):
    """A file whose end is missing (a full disk, a copy interrupted) is refused, not read as a
    shorter index: its buffers would point past its end."""
    known = knowledge.current()
    stored.store(known)
    path = stored.path_for(known.fingerprint)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert stored.load(known.fingerprint, knowledge.Knowledge) is None
    path.write_bytes(data[:40])  # the header itself cut
    assert stored.load(known.fingerprint, knowledge.Knowledge) is None
    path.write_bytes(b"")
    assert stored.load(known.fingerprint, knowledge.Knowledge) is None
