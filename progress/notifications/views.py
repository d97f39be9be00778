"""The officer's notification settings (/me/notifications/), LINE linking and webhook,
browser-push subscriptions and the service worker."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import linking, services
from .channels import line as line_channel
from .channels.webpush import vapid_public_key
from .forms import PreferenceForm
from .models import NotificationPreference
from .selectors import notification_settings_of

MAX_WEBHOOK_BYTES = 1024 * 1024


@login_required
@never_cache
def settings_page(request):
    pref = NotificationPreference.objects.filter(user=request.user).first()
    if pref is None:  # start from what applies today (the agency default)
        channels, digest = services.channels_for(request.user)
        pref = NotificationPreference(
            user=request.user,
            **{c: c in channels for c in ("email", "line", "push")},
            digest=digest,
        )
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, **form.choice())
        messages.success(request, _("บันทึกช่องทางการแจ้งเตือนแล้ว"))
        return redirect("progress:notifications_settings")
    return render(
        request,
        "progress/notifications/settings.html",
        {
            "form": form,
            "line_enabled": line_channel.line_enabled(),
            "line_add_friend_url": settings.LINE_ADD_FRIEND_URL,
            "vapid_public_key": vapid_public_key(),
            **notification_settings_of(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def line_link(request):
    """Where LINE's link-token message sends the officer: bind a nonce to this signed-in
    officer and hand over to LINE's account-link page."""
    try:
        url = linking.line_link_start(
            user=request.user, link_token=request.GET.get("linkToken", "")
        )
    except services.NotificationError as exc:
        return render(
            request,
            "progress/notifications/link_error.html",
            {"message": exc.message},
            status=exc.status,
        )
    return redirect(url)


@login_required
@require_POST
def line_unlink(request):
    linking.line_unlink(user=request.user)
    messages.success(request, _("ยกเลิกการเชื่อมต่อ LINE แล้ว"))
    return redirect("progress:notifications_settings")


def _json_body(request) -> dict | None:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):  # nesting too deep
        return None
    return data if isinstance(data, dict) else None


def _bad(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@login_required
@require_POST
def push_subscribe(request):
    data = _json_body(request)
    keys = data.get("keys") if data else None
    if not data or not isinstance(keys, dict):
        return _bad(_("ข้อมูลการสมัครรับการแจ้งเตือนไม่ถูกต้อง"))
    fields = (data.get("endpoint"), keys.get("p256dh"), keys.get("auth"))
    if not all(isinstance(v, str) and "\x00" not in v for v in fields):
        return _bad(_("ข้อมูลการสมัครรับการแจ้งเตือนไม่ถูกต้อง"))
    try:
        linking.push_subscribe(
            user=request.user, endpoint=fields[0], p256dh=fields[1], auth=fields[2]
        )
    except services.NotificationError as exc:
        return _bad(exc.message, exc.status)
    return JsonResponse({"subscribed": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request):
    data = _json_body(request)
    endpoint = data.get("endpoint") if data else None
    # NUL cannot be a PostgreSQL text parameter (psycopg would raise DataError).
    if not isinstance(endpoint, str) or "\x00" in endpoint:
        return _bad(_("ข้อมูลการสมัครรับการแจ้งเตือนไม่ถูกต้อง"))
    removed = linking.push_unsubscribe(user=request.user, endpoint=data["endpoint"])
    return JsonResponse({"removed": removed})


@csrf_exempt  # LINE's servers post here; the X-Line-Signature HMAC is the check
@require_POST
def line_webhook(request):
    if not line_channel.line_enabled():
        return HttpResponse(status=404)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_WEBHOOK_BYTES:
        return HttpResponse(status=413)
    signature = request.headers.get("X-Line-Signature", "")
    try:
        body = request.body.decode("utf-8")
        linking.line_webhook_handle(body=body, signature=signature)
    except line_channel.InvalidSignatureError:
        return HttpResponseBadRequest("invalid signature")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("malformed webhook body")
    return HttpResponse("OK")


@require_GET
def service_worker(request):
    """The push service worker, served from the site root so its scope is the whole
    site; a static file of its own, so the site's CSP needs no exception."""
    path = finders.find("progress/notifications/sw.js")
    with open(path, "rb") as fh:
        response = HttpResponse(fh.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
