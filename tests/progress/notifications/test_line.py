"""LINE: account linking through the accountLink flow, the signed webhook, pushes with
Thai text and a deep link, retries on 5xx/429, the monthly quota; all against a stub of
LINE's API and account-link hosts over real HTTP."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from progress.notifications.delivery import notifications_deliver
from progress.notifications.models import (
    LineLink,
    LineLinkNonce,
    LinePushCounter,
    Notification,
    Status,
)
from progress.notifications.services import RetryLater, notify_reminder, preference_set
from tests.factories import make_course

from .conftest import LINE_TOKEN, event, routable_course, webhook

pytestmark = pytest.mark.django_db


def start_link(client, user) -> str:
    """The officer signs in and follows LINE's link-token URL; returns the nonce."""
    client.force_login(user)
    r = client.get("/me/notifications/line/link/?linkToken=LT-abc123")
    assert r.status_code == 302
    target = urlsplit(r["Location"])
    assert target.path == "/dialog/bot/accountLink"
    query = parse_qs(target.query)
    assert query["linkToken"] == ["LT-abc123"]
    return query["nonce"][0]


def link_event(line_user_id, nonce, result="ok"):
    return event(
        "accountLink", line_user_id, replyToken="rt-1", link={"result": result, "nonce": nonce}
    )


def linked(client, user, line_user_id):
    nonce = start_link(client, user)
    assert webhook(client, [link_event(line_user_id, nonce)]).status_code == 200
    return LineLink.objects.get(user=user)


def reminder(user, course, kind="overdue", days=7):
    return notify_reminder(
        user=user,
        course=course,
        assignment_id=course.pk,
        kind=kind,
        due=dt.date(2027, 3, 15),
        days_overdue=days,
        emailed=True,
    )


@pytest.fixture
def officer(users):
    user = users["officer1"]
    preference_set(user=user, email=True, line=True, push=False, digest=False)
    return user


def test_follow_issues_a_link_token_and_replies_with_the_link(client, line_stub, officer):
    r = webhook(client, [event("follow", "U-new", replyToken="rt-follow")])
    assert r.status_code == 200
    (issue,) = line_stub.to("/v2/bot/user/U-new/linkToken")
    assert issue.method == "POST"
    assert issue.headers["authorization"] == f"Bearer {LINE_TOKEN}"
    (reply,) = line_stub.to("/v2/bot/message/reply")
    text = reply.json()["messages"][0]["text"]
    assert reply.json()["replyToken"] == "rt-follow"
    assert "/me/notifications/line/link/?linkToken=LT-abc123" in text
    assert "เชื่อมต่อ" in text


def test_account_link_binds_the_signed_in_officer(client, line_stub, officer):
    link = linked(client, officer, "U-officer1")
    assert link.line_user_id == "U-officer1" and link.active
    assert line_stub.to("/v2/bot/message/reply")  # "linked" confirmation


def test_replayed_nonce_does_not_link_another_line_account(client, line_stub, officer):
    nonce = start_link(client, officer)
    webhook(client, [link_event("U-officer1", nonce)])
    webhook(client, [link_event("U-attacker", nonce)])
    assert list(LineLink.objects.values_list("line_user_id", flat=True)) == ["U-officer1"]


def test_forged_failed_or_expired_nonce_does_not_link(client, line_stub, officer):
    webhook(client, [link_event("U-x", "made-up-nonce-0123456789")])
    nonce = start_link(client, officer)
    webhook(client, [link_event("U-x", nonce, result="failed")])
    stale = start_link(client, officer)
    LineLinkNonce.objects.filter(nonce=stale).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    webhook(client, [link_event("U-x", stale)])
    assert not LineLink.objects.exists()


def test_nonce_is_bound_to_who_asked_for_it(client, line_stub, officer, users):
    """officer2 cannot put their LINE on officer1's record: the nonce officer2's own
    session gets links officer2, whoever's LINE account completes the flow."""
    nonce = start_link(client, users["officer2"])
    webhook(client, [link_event("U-someone", nonce)])
    assert LineLink.objects.get(line_user_id="U-someone").user == users["officer2"]
    assert not LineLink.objects.filter(user=officer).exists()


def test_link_page_needs_sign_in_and_a_sane_token(client, line_stub, officer):
    r = client.get("/me/notifications/line/link/?linkToken=LT-abc123")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    client.force_login(officer)
    r = client.get("/me/notifications/line/link/?linkToken=" + "<script>")
    assert r.status_code == 400
    assert "ลิงก์เชื่อมต่อ LINE ไม่ถูกต้อง" in r.content.decode()
    assert not LineLinkNonce.objects.exists()


@pytest.mark.parametrize("signature", ["", "bm90LXRoZS1zaWduYXR1cmU=", None])
def test_webhook_refuses_a_bad_signature(client, line_stub, officer, signature):
    secret = "someone-elses-secret" if signature is None else "test-channel-secret"
    nonce = start_link(client, officer)
    r = webhook(client, [link_event("U-evil", nonce)], secret=secret, signature=signature)
    assert r.status_code == 400
    assert not LineLink.objects.exists()


def test_webhook_refuses_malformed_json(client, line_stub):
    from .conftest import sign

    body = b"{not json"
    r = client.post(
        "/notifications/line/webhook/",
        data=body,
        content_type="application/json",
        headers={"X-Line-Signature": sign(body)},
    )
    assert r.status_code == 400


def test_unlink_by_message_and_from_the_settings_page(client, line_stub, officer):
    linked(client, officer, "U-officer1")
    webhook(
        client,
        [
            event(
                "message",
                "U-officer1",
                replyToken="rt-2",
                message={"type": "text", "id": "m1", "text": "ยกเลิกการเชื่อมต่อ", "quoteToken": "q"},
            )
        ],
    )
    assert not LineLink.objects.exists()
    linked(client, officer, "U-officer1")
    r = client.post("/me/notifications/line/unlink/")
    assert r.status_code == 302
    assert not LineLink.objects.exists()


def test_push_carries_thai_text_deep_link_and_token(client, line_stub, officer):
    linked(client, officer, "U-officer1")
    course = routable_course()
    first_lesson = course.specific.lessons()[0]
    reminder(officer, course)
    assert notifications_deliver(user_id=officer.pk) == 1
    (push,) = line_stub.to("/v2/bot/message/push")
    assert push.headers["authorization"] == f"Bearer {LINE_TOKEN}"
    assert push.headers["x-line-retry-key"]
    payload = push.json()
    assert payload["to"] == "U-officer1"
    text = payload["messages"][0]["text"]
    assert "เกินกำหนด 7 วัน" in text and course.title in text
    # The deep link goes to the first lesson the officer has not completed.
    assert "http://127.0.0.1:8000" + first_lesson.get_url_parts()[2] in text
    assert first_lesson.get_url_parts()[2].startswith(course.get_url_parts()[2])
    assert Notification.objects.get(channel="line").status == Status.SENT
    assert notifications_deliver(user_id=officer.pk) == 0  # nothing twice
    assert len(line_stub.to("/v2/bot/message/push")) == 1


@pytest.mark.parametrize("status", [500, 503, 429])
def test_transient_errors_retry_with_backoff_under_one_retry_key(
    client, line_stub, officer, status
):
    linked(client, officer, "U-officer1")
    reminder(officer, make_course())
    line_stub.queue("/v2/bot/message/push", (status, {"message": "busy"}))
    now = timezone.now()
    with pytest.raises(RetryLater) as exc:
        notifications_deliver(user_id=officer.pk, now=now)
    row = Notification.objects.get(channel="line")
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.not_before == now + dt.timedelta(seconds=exc.value.seconds)
    # Not before the backoff has passed...
    assert notifications_deliver(user_id=officer.pk, now=now) == 0
    assert notifications_deliver(user_id=officer.pk, now=row.not_before) == 1
    first, second = line_stub.to("/v2/bot/message/push")
    assert first.headers["x-line-retry-key"] == second.headers["x-line-retry-key"]
    assert Notification.objects.get(channel="line").status == Status.SENT


def test_client_error_fails_without_retry(client, line_stub, officer):
    linked(client, officer, "U-officer1")
    reminder(officer, make_course())
    line_stub.queue("/v2/bot/message/push", (400, {"message": "bad"}))
    notifications_deliver(user_id=officer.pk)
    assert Notification.objects.get(channel="line").status == Status.FAILED
    assert LinePushCounter.objects.get().count == 0  # a refused push is not counted


def test_unfollowed_account_falls_back_to_email(client, line_stub, officer):
    linked(client, officer, "U-officer1")
    webhook(client, [event("unfollow", "U-officer1")])
    assert not LineLink.objects.get().active
    mail.outbox.clear()
    reminder(officer, make_course("ข้อมูลเปิดภาครัฐ"))
    notifications_deliver(user_id=officer.pk)
    assert not line_stub.to("/v2/bot/message/push")
    assert Notification.objects.get(channel="line").status == Status.UNLINKED
    assert Notification.objects.get(channel="email").status == Status.SENT
    (msg,) = mail.outbox
    assert "ข้อมูลเปิดภาครัฐ" in msg.subject
    # Following again restores the link.
    webhook(client, [event("follow", "U-officer1", replyToken="rt")])
    assert LineLink.objects.get().active


def test_monthly_quota_falls_back_to_email(client, line_stub, officer, settings):
    settings.LINE_MONTHLY_QUOTA_PER_AGENCY = 1
    linked(client, officer, "U-officer1")
    reminder(officer, make_course("หนึ่ง"))
    notifications_deliver(user_id=officer.pk)
    mail.outbox.clear()
    reminder(officer, make_course("สอง"))
    notifications_deliver(user_id=officer.pk)
    assert len(line_stub.to("/v2/bot/message/push")) == 1
    assert Notification.objects.filter(channel="line", status=Status.FALLBACK).count() == 1
    (msg,) = mail.outbox
    assert "สอง" in msg.subject
    counter = LinePushCounter.objects.get()
    assert counter.count == 1 and counter.agency == officer.officer_profile.agency.get_root()


def test_without_line_settings_line_is_hidden(client, users, settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    settings.LINE_CHANNEL_SECRET = ""
    officer = users["officer1"]
    preference_set(user=officer, email=True, line=True, push=False, digest=False)
    client.force_login(officer)
    page = client.get("/me/notifications/").content.decode()
    assert 'id="line"' not in page and 'name="line"' not in page
    assert webhook(client, [event("follow", "U-1")]).status_code == 404
    mail.outbox.clear()
    reminder(officer, make_course(), kind="before", days=-5)
    assert not Notification.objects.filter(channel="line").exists()
