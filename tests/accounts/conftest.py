"""Sign-in fixtures: a real OpenID Connect provider (npm oidc-provider) on 127.0.0.1,
officers from an HR file, and helpers that drive the flow over HTTP."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from officers import roles
from officers.models import Agency, OfficerProfile

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "lms-test-client"
CLIENT_SECRET = "lms-test-secret-2568"


def make_cid(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


CID_OFFICER = make_cid("110020034567")
CID_STRANGER = make_cid("110020099999")
CID_STAFF = make_cid("110020055555")
ACCOUNTS = {
    "somchai": {
        "pid": CID_OFFICER,
        "title": "นาย",
        "given_name": "สมชาย",
        "family_name": "ใจดี",
    },
    "stranger": {"pid": CID_STRANGER, "given_name": "คนนอก", "family_name": "ไม่มีชื่อ"},
    "staffer": {"pid": CID_STAFF, "given_name": "เจ้าหน้าที่", "family_name": "HR"},
    "suda": {"email": "suda@agency-a.go.th", "email_verified": True},
    "suda-unverified": {"email": "suda@agency-a.go.th", "email_verified": False},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_provider(redirect_uris: list[str], post_logout_uris: list[str]):
    """Start tests/oidc/provider.mjs on a free port; (process, issuer)."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.skip("Node.js and the npm package oidc-provider are needed: run `make setup-dev`")
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": " ".join(redirect_uris),
        "OIDC_POST_LOGOUT_URIS": " ".join(post_logout_uris),
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
        "OIDC_TEST_CONTROLS": "1",
    }
    proc = subprocess.Popen(  # noqa: S603
        [node, str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return proc, issuer
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("the test OpenID provider did not start")


def stop_provider(proc) -> None:
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def oidc_server():
    callbacks = [
        f"http://testserver/accounts/oidc/{pid}/login/callback/" for pid in ("thaid", "agency")
    ]
    proc, issuer = start_provider(callbacks, ["http://testserver/"])
    yield issuer
    stop_provider(proc)


def provider_settings(issuer: str) -> dict:
    def app(provider_id, label, match_claim, scopes):
        return {
            "provider_id": provider_id,
            "name": label,
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            "settings": {
                "server_url": issuer,
                "scope": scopes,
                "match_claim": match_claim,
                "oauth_pkce_enabled": True,
            },
        }

    return {
        "lms_oidc": {
            "APPS": [
                app("thaid", "ThaID", "pid", ["openid", "pid", "profile"]),
                app("agency", "บัญชีหน่วยงาน", "email", ["openid", "email"]),
            ]
        }
    }


@pytest.fixture
def oidc(oidc_server, settings, db):
    from django.core.cache import cache

    cache.clear()  # discovery and JWKS caches start empty
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(oidc_server)
    return oidc_server


@pytest.fixture
def agency(db):
    return Agency.add_root(code="A", name="กรมทดสอบ")


def make_officer(agency, username, *, cid="", email=""):
    user = get_user_model().objects.create_user(username=username, email=email)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.OFFICER)[0])
    profile = OfficerProfile(
        user=user, agency=agency, first_name_th="ทดสอบ", last_name_th=username, email=email
    )
    profile.set_citizen_id(cid)
    profile.save()
    return user


@pytest.fixture
def officer(agency):
    return make_officer(agency, "somchai.j", cid=CID_OFFICER)


def begin(client, provider_id: str):
    """Click the provider's button on the login page; the redirect to the provider."""
    page = client.get("/accounts/login/").content.decode()
    match = re.search(
        r'<form method="post" action="([^"]+)">\s*<input[^>]+csrfmiddlewaretoken[^>]+>\s*'
        rf'<button[^>]+data-provider="{provider_id}"',
        page,
    )
    assert match, "no button for the provider on the login page"
    response = client.post(unescape(match.group(1)))
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def at_provider(authorize_url: str, login: str, session: requests.Session | None = None) -> str:
    """Sign in at the provider as ``login``; the URL it sends the browser back to."""
    session = session or requests.Session()
    response = session.get(authorize_url, allow_redirects=False, timeout=10)
    for _ in range(10):
        if response.is_redirect:
            target = urljoin(response.url, response.headers["location"])
            if target.startswith("http://testserver/"):
                return target
            response = session.get(target, allow_redirects=False, timeout=10)
            continue
        form = re.search(r'<form method="post" action="([^"]+)"', response.text)
        assert form, response.text[:500]
        response = session.post(
            urljoin(response.url, form.group(1)),
            data={"login": login},
            allow_redirects=False,
            timeout=10,
        )
    raise AssertionError("the provider never sent the browser back")


def back_to_lms(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_with(client, provider_id: str, login: str):
    callback = at_provider(begin(client, provider_id), login)
    return back_to_lms(client, callback), callback


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits and used-code markers live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
