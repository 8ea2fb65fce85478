"""Gateway: outbox idempotency, receipt dispatch and quarantine, the poller, the staff page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from huey.contrib.djhuey import HUEY

from guanwu.gateway import folders, registry, services, tasks
from guanwu.gateway.models import GatewayError, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<DecMessage xmlns="http://www.chinaport.gov.cn/dec"><A>1</A></DecMessage>\n'


@pytest.fixture(autouse=True)
def gateway_dir(settings, tmp_path):
    settings.GATEWAY_DIR = tmp_path / "gateway"
    return settings.GATEWAY_DIR


@pytest.fixture
def handled(monkeypatch):
    """A handler for <TestReceipt>: records calls, creates a user per call, raises on <fail/>."""
    calls: list[tuple[bytes, str]] = []

    def handler(content: bytes, file_name: str) -> None:
        calls.append((content, file_name))
        get_user_model().objects.create_user(username=f"receipt-{len(calls)}")
        if b"<fail" in content:
            raise ValueError("回执对应的报关单不存在")
        if b"<crash" in content:
            raise KeyError("seq_no")

    monkeypatch.setitem(registry._HANDLERS, "TestReceipt", handler)
    return calls


def inbox(name: str, data: bytes) -> None:
    folders.atomic_write(folders.folder(folders.INBOX), name, data)


def names(folder: str) -> list[str]:
    return sorted(p.name for p in folders.folder(folder).iterdir())


# ------------------------------------------------------------------------------------- outbox


def test_enqueue_writes_after_commit_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = services.enqueue("DecMessage", "610193000100000001", XML)
        assert names(folders.OUTBOX) == []  # nothing before the caller commits
    assert message.file_name == "DecMessage_610193000100000001.xml"
    assert names(folders.OUTBOX) == ["DecMessage_610193000100000001.xml"]
    assert (folders.folder(folders.OUTBOX) / message.file_name).read_bytes() == XML
    assert OutboxMessage.objects.get().status == OutboxStatus.WRITTEN

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        again = services.enqueue("DecMessage", "610193000100000001", b"<other/>")
    assert again.pk == message.pk and callbacks == []
    assert services.flush_outbox() == 0
    assert names(folders.OUTBOX) == ["DecMessage_610193000100000001.xml"]
    assert (folders.folder(folders.OUTBOX) / message.file_name).read_bytes() == XML
    assert OutboxMessage.objects.count() == 1
    assert bytes(OutboxMessage.objects.get().payload) == XML  # the stored message is still the first one


def test_one_key_stores_one_payload_a_second_enqueue_never_replaces_it(django_capture_on_commit_callbacks):
    """The ClientSeqNo is the idempotency key (ARCHITECTURE.md §4): what is stored under it first is
    what goes to customs, even when a second enqueue with other content comes before the file is
    written (a re-run job that rebuilt the message)."""
    with django_capture_on_commit_callbacks(execute=False) as first_callbacks, transaction.atomic():
        services.enqueue("DecMessage", "610193000100000002", XML)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        again = services.enqueue("DecMessage", "610193000100000002", b"<other/>")
    assert len(first_callbacks) == 1 and callbacks == []  # the first file is not written yet
    assert bytes(again.payload) == XML
    assert bytes(OutboxMessage.objects.get(key="610193000100000002").payload) == XML
    assert services.flush_outbox() == 1
    assert (folders.folder(folders.OUTBOX) / "DecMessage_610193000100000002.xml").read_bytes() == XML


def test_rolled_back_enqueue_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.enqueue("DecMessage", "K1", XML)
                raise RuntimeError("declare failed")
        except RuntimeError:
            pass
    assert OutboxMessage.objects.count() == 0
    assert names(folders.OUTBOX) == []


def test_flush_writes_pending_rows_atomically():
    services.enqueue("DecMessage", "K1", XML)
    services.enqueue("DecMessage", "K2", XML)
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2  # on_commit not run in a test
    assert services.flush_outbox() == 2
    assert names(folders.OUTBOX) == ["DecMessage_K1.xml", "DecMessage_K2.xml"]  # no temp files left
    assert services.flush_outbox() == 0
    assert services.outbox_counts() == {"pending": 0, "written": 2}


@pytest.mark.parametrize("folder", [folders.OUTBOX, folders.SENT])
def test_crash_between_write_and_record_does_not_send_twice(folder):
    """The file was written (and maybe taken by the client), the row still says pending."""
    message = services.enqueue("DecMessage", "610193000100000007", XML)
    (folders.folder(folder) / message.file_name).write_bytes(b"first write")
    assert services.flush_outbox() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.WRITTEN and message.written_at is not None
    assert names(folders.OUTBOX) == ([message.file_name] if folder == folders.OUTBOX else [])
    assert (folders.folder(folder) / message.file_name).read_bytes() == b"first write"


def test_keys_become_safe_file_names():
    message = services.enqueue("DecMessage", "../../etc/passwd", XML)
    assert "/" not in message.file_name and message.file_name.startswith("DecMessage_")
    services.flush_outbox()
    assert names(folders.OUTBOX) == [message.file_name]


def test_enqueue_needs_a_key_and_bytes():
    with pytest.raises(ValueError):
        services.enqueue("DecMessage", " ", XML)
    with pytest.raises(TypeError):
        services.enqueue("DecMessage", "K", "text")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- inbox


def test_receipt_is_dispatched_to_its_handler_and_moved_to_done(handled):
    data = b'<?xml version="1.0"?><r:TestReceipt xmlns:r="urn:x"><ok/></r:TestReceipt>'
    inbox("r1.xml", data)
    result = services.poll_inbox()
    assert result.done == 1 and result.failed == 0
    assert handled == [(data, "r1.xml")]
    assert names(folders.DONE) == ["r1.xml"] and names(folders.INBOX) == []


def test_dec_data_goes_to_the_dec_result_handler(monkeypatch):
    seen = []
    monkeypatch.setitem(registry._HANDLERS, "DEC_RESULT", lambda content, name: seen.append(name))
    monkeypatch.delitem(registry._HANDLERS, "DEC_DATA", raising=False)
    inbox("a.xml", b"<DEC_DATA><DEC_RESULT><SEQ_NO>1</SEQ_NO></DEC_RESULT></DEC_DATA>")
    inbox("b.xml", b"<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO></DEC_RESULT>")
    assert services.poll_inbox().done == 2
    assert sorted(seen) == ["a.xml", "b.xml"]


def test_bad_files_are_quarantined_and_the_rest_still_processed(handled):
    inbox("01_malformed.xml", b"<TestReceipt><unclosed></TestReceipt>")
    inbox("02_unknown.xml", b"<SomethingElse/>")
    inbox("03_handler_fails.xml", b"<TestReceipt><fail/></TestReceipt>")
    inbox("04_good.xml", b"<TestReceipt><ok/></TestReceipt>")
    inbox("05_dtd.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><TestReceipt>&a;</TestReceipt>')
    inbox("06_crash.xml", b"<TestReceipt><crash/></TestReceipt>")
    inbox("07_empty.xml", b"")
    inbox("08_gb.xml", '<?xml version="1.0" encoding="GB2312"?><TestReceipt>中文</TestReceipt>'.encode("gb2312"))
    result = services.poll_inbox()
    assert result.counts == {"done": 2, "failed": 6, "retry": 0}
    assert names(folders.DONE) == ["04_good.xml", "08_gb.xml"]
    assert names(folders.FAILED) == [
        "01_malformed.xml", "02_unknown.xml", "03_handler_fails.xml", "05_dtd.xml", "06_crash.xml", "07_empty.xml",
    ]
    assert names(folders.INBOX) == []
    reasons = dict(GatewayError.objects.values_list("file_name", "reason"))
    assert reasons["01_malformed.xml"].startswith("文件不是格式正确的XML")
    assert reasons["02_unknown.xml"] == "不认识的回执类型：根元素为SomethingElse，没有对应的处理程序"
    assert reasons["03_handler_fails.xml"] == "回执处理失败：回执对应的报关单不存在"
    assert "DTD" in reasons["05_dtd.xml"]
    assert reasons["06_crash.xml"].startswith("回执处理失败（KeyError）")
    assert reasons["07_empty.xml"] == "文件为空"
    error = GatewayError.objects.get(file_name="03_handler_fails.xml")
    assert error.raw == "<TestReceipt><fail/></TestReceipt>" and error.stored_name == "03_handler_fails.xml"
    assert error.root_tag == "TestReceipt" and not error.resolved
    # The failing handler's writes were rolled back; the good ones kept.
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert len(handled) == 4 and len(usernames) == 2


def test_temp_and_other_files_are_ignored(handled):
    folder = folders.folder(folders.INBOX)
    (folder / ".r1.xml.abcd.tmp").write_bytes(b"<TestReceipt/>")
    (folder / "r2.xml.tmp").write_bytes(b"<TestReceipt/>")
    (folder / "notes.txt").write_bytes(b"hello")
    assert services.poll_inbox().total == 0
    assert handled == []


def test_same_file_name_twice_is_kept_apart(handled):
    inbox("r.xml", b"<TestReceipt><n>1</n></TestReceipt>")
    services.poll_inbox()
    inbox("r.xml", b"<TestReceipt><n>2</n></TestReceipt>")
    services.poll_inbox()
    assert names(folders.DONE) == ["r.2.xml", "r.xml"]


def test_large_raw_content_is_truncated(handled):
    data = b"<TestReceipt><fail/>" + "中".encode() * 400_000 + b"</TestReceipt>"
    inbox("big.xml", data)
    services.poll_inbox()
    error = GatewayError.objects.get()
    assert error.truncated and error.size == len(data)
    assert len(error.raw.encode("utf-8")) <= services.MAX_RAW_BYTES


def test_a_poll_applies_receipts_in_one_collecting_block(monkeypatch):
    from guanwu.core import aftercommit

    seen = []
    monkeypatch.setitem(registry._HANDLERS, "TestReceipt",
                        lambda content, name: seen.append((name, aftercommit._pending() is not None)))
    inbox("r1.xml", b"<TestReceipt/>")
    inbox("r2.xml", b"<TestReceipt/>")
    assert services.poll_inbox().counts == {"done": 2, "failed": 0, "retry": 0}
    assert seen == [("r1.xml", True), ("r2.xml", True)] and aftercommit._pending() is None


def test_consecutive_files_go_to_the_batch_handler_and_its_failures_one_by_one(monkeypatch):
    calls = []

    def single(content, name):
        calls.append(("one", name))
        if b"<bad/>" in content:
            raise ValueError("坏回执")

    def batch(files):
        calls.append(("batch", [name for _, name in files]))
        if any(b"<explode/>" in content for content, _ in files):
            raise RuntimeError("batch handler bug")
        return [ValueError("坏回执") if b"<bad/>" in content else None for content, _ in files]

    monkeypatch.setattr(registry, "_HANDLERS", {})
    monkeypatch.setattr(registry, "_BATCH", {})
    registry.register_handler("BatchReceipt", single, batch=batch)
    inbox("1.xml", b"<BatchReceipt><ok/></BatchReceipt>")
    inbox("2.xml", b"<BatchReceipt><bad/></BatchReceipt>")
    inbox("3.xml", b"<BatchReceipt><ok/></BatchReceipt>")
    assert services.poll_inbox().counts == {"done": 2, "failed": 1, "retry": 0}
    assert calls == [("batch", ["1.xml", "2.xml", "3.xml"])]
    assert names(folders.DONE) == ["1.xml", "3.xml"] and names(folders.FAILED) == ["2.xml"]
    assert GatewayError.objects.get().reason == "回执处理失败：坏回执"

    calls.clear()
    inbox("4.xml", b"<BatchReceipt><ok/></BatchReceipt>")
    inbox("5.xml", b"<BatchReceipt><explode/></BatchReceipt>")
    assert services.poll_inbox().counts == {"done": 2, "failed": 0, "retry": 0}
    assert calls == [("batch", ["4.xml", "5.xml"]), ("one", "4.xml"), ("one", "5.xml")]


def test_database_trouble_leaves_the_file_for_the_next_poll(monkeypatch):
    from django.db import OperationalError

    def handler(content, name):
        raise OperationalError("database is locked")

    monkeypatch.setitem(registry._HANDLERS, "TestReceipt", handler)
    inbox("r.xml", b"<TestReceipt/>")
    result = services.poll_inbox()
    assert result.counts == {"done": 0, "failed": 0, "retry": 1}
    assert names(folders.INBOX) == ["r.xml"] and not GatewayError.objects.exists()


def test_retry_puts_the_file_back_and_resolves(handled):
    inbox("r.xml", b"<TestReceipt><fail/></TestReceipt>")
    services.poll_inbox()
    error = GatewayError.objects.get()
    target = services.retry_error(None, error)
    assert target.name == "r.xml" and names(folders.INBOX) == ["r.xml"] and names(folders.FAILED) == []
    error.refresh_from_db()
    assert error.resolved
    from guanwu.core.errors import ServiceError

    with pytest.raises(ServiceError):
        services.retry_error(None, error)  # already moved


# ------------------------------------------------------------------------------------ poller


def test_poll_task_flushes_and_reads(handled):
    services.enqueue("DecMessage", "K1", XML)
    inbox("r.xml", b"<TestReceipt/>")
    assert tasks.poll_gateway().get() == {"written": 1, "done": 1, "failed": 0, "retry": 0}  # immediate mode


def test_poll_is_skipped_while_another_poller_holds_the_lock(handled):
    inbox("r.xml", b"<TestReceipt/>")
    with HUEY.lock_task(tasks.LOCK_NAME):
        assert tasks.poll_locked() is None
        assert tasks.poll_gateway.call_local() is None
    assert names(folders.INBOX) == ["r.xml"]
    assert tasks.poll_locked()["done"] == 1


def test_superseded_chain_stops():
    HUEY.put(tasks.CHAIN_KEY, "current")
    assert tasks.poll_gateway.call_local("old") is None
    assert tasks.poll_gateway.call_local("current") == {"written": 0, "done": 0, "failed": 0, "retry": 0}


def test_watchdog_clears_a_stale_lock(monkeypatch):
    lock = HUEY.lock_task(tasks.LOCK_NAME)
    lock.acquire()
    try:
        HUEY.put(tasks.LOCKED_AT_KEY, 0.0)  # locked since 1970: its holder died
        assert tasks.clear_stale_lock() is True
        assert not lock.is_locked()
        lock.acquire()
        HUEY.delete(tasks.LOCKED_AT_KEY)
        assert tasks.clear_stale_lock() is False  # no time known yet: noted, judged next round
        assert lock.is_locked()
    finally:
        lock.release()
        HUEY.delete(tasks.LOCKED_AT_KEY)


def test_gateway_command_poll_status(handled):
    services.enqueue("DecMessage", "K1", XML)
    inbox("r.xml", b"<TestReceipt/>")
    out = StringIO()
    call_command("gateway", "poll", stdout=out)
    assert "写出报文 1 个, 处理回执 1 个, 失败 0 个" in out.getvalue()
    out = StringIO()
    call_command("gateway", "status", stdout=out)
    assert "已写出 1 个" in out.getvalue() and "TestReceipt" in out.getvalue()


def test_gateway_run_stops_on_keyboard_interrupt(monkeypatch):
    from guanwu.gateway.management.commands import gateway as command

    calls = []

    def fake_poll():
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return {"written": 0, "done": 0, "failed": 0, "retry": 0}

    monkeypatch.setattr(command, "poll_locked", fake_poll)
    out = StringIO()
    call_command("gateway", "run", "--interval", "0.01", stdout=out)
    assert len(calls) == 3 and "报文交换已停止" in out.getvalue()


# -------------------------------------------------------------------------------------- page


@pytest.fixture
def quarantined(handled):
    inbox("bad.xml", b"<TestReceipt><fail/></TestReceipt>")
    services.poll_inbox()
    return GatewayError.objects.get()


def test_errors_page_is_404_for_anyone_but_staff(client, admin_a, quarantined):
    assert client.get("/gateway/errors/").status_code == 404
    client.force_login(admin_a)  # an enterprise admin is not platform staff
    for url in ("/gateway/errors/", f"/gateway/errors/{quarantined.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/gateway/errors/{quarantined.pk}/resolve/").status_code == 404
    assert client.post(f"/gateway/errors/{quarantined.pk}/retry/").status_code == 404
    quarantined.refresh_from_db()
    assert not quarantined.resolved


@pytest.fixture
def staff_client(client):
    staff = get_user_model().objects.create_user(username="platform-staff", password="x-staff-pass-1", is_staff=True)
    client.force_login(staff)
    return client


def test_staff_see_errors_raw_content_and_outbox_counts(staff_client, quarantined):
    services.enqueue("DecMessage", "K1", XML)
    page = staff_client.get("/gateway/errors/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "bad.xml" in html and "回执处理失败：回执对应的报关单不存在" in html
    assert "总共 1 条记录" in html and 'data-outbox-pending>1<' in html
    detail = staff_client.get(f"/gateway/errors/{quarantined.pk}/")
    assert detail.status_code == 200
    assert "&lt;TestReceipt&gt;&lt;fail/&gt;&lt;/TestReceipt&gt;" in detail.content.decode()
    GatewayError.objects.create(file_name="handled-before.xml", reason="已处理的旧错误", resolved=True)
    everything = staff_client.get("/gateway/errors/").content.decode()
    assert "总共 2 条记录" in everything and "handled-before.xml" in everything
    unresolved = staff_client.get("/gateway/errors/?resolved=0")
    assert unresolved.status_code == 200
    html = unresolved.content.decode()
    assert "总共 1 条记录" in html and "bad.xml" in html and "handled-before.xml" not in html
    resolved = staff_client.get("/gateway/errors/?resolved=1").content.decode()
    assert "总共 1 条记录" in resolved and "handled-before.xml" in resolved and "bad.xml" not in resolved
    assert staff_client.get("/gateway/errors/?export=all")["Content-Type"].startswith("application/vnd.openxml")


def test_staff_resolve_and_retry(staff_client, quarantined, handled):
    response = staff_client.post(f"/gateway/errors/{quarantined.pk}/retry/")
    assert response.status_code == 302
    assert names(folders.INBOX) == ["bad.xml"]
    quarantined.refresh_from_db()
    assert quarantined.resolved and quarantined.resolved_by.username == "platform-staff"

    inbox("bad2.xml", b"<Unknown/>")
    services.poll_inbox()
    other = GatewayError.objects.get(file_name="bad2.xml")
    staff_client.post(f"/gateway/errors/{other.pk}/resolve/")
    other.refresh_from_db()
    assert other.resolved


def test_staff_bulk_resolve(staff_client, handled):
    inbox("a.xml", b"<X/>")
    inbox("b.xml", b"<Y/>")
    services.poll_inbox()
    ids = list(GatewayError.objects.values_list("pk", flat=True))
    response = staff_client.post("/gateway/errors/", {"action": "resolve", "ids": ids})
    assert response.status_code == 302
    assert GatewayError.objects.filter(resolved=True).count() == 2


def test_staff_member_of_an_enterprise_sees_the_page_in_the_shell(client, admin_a, quarantined):
    admin_a.is_staff = True
    admin_a.save()
    client.force_login(admin_a)
    page = client.get("/gateway/errors/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "gw-sidebar" in html and "bad.xml" in html
    detail = client.get(f"/gateway/errors/{quarantined.pk}/")
    assert detail.status_code == 200 and "gw-sidebar" in detail.content.decode()
