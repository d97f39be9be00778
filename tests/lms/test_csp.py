"""Content-Security-Policy: nonces on the site and learner pages; a looser one in the admins."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test import Client

from courses.models import CoursePage

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def signed_in(username):
    client = Client()
    assert client.login(request=HttpRequest(), username=username, password="demo-pass-2568")
    return client


def lesson_url():
    course = CoursePage.objects.live().order_by("path").first()
    return course.specific.lessons().first().url


@pytest.mark.django_db
def test_site_and_learner_pages_run_only_nonced_inline_scripts(demo):
    officer, hr = signed_in("officer1"), signed_in("hr_a")
    pages = [
        (Client(), "/"),
        (Client(), "/accounts/login/"),
        (Client(), "/courses/"),
        (officer, lesson_url()),
        (officer, "/me/"),
        (hr, "/hr/"),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        csp = policy(response)
        assert "'unsafe-inline'" not in csp["script-src"] + csp["style-src"], path
        assert "'unsafe-eval'" not in csp["script-src"], path
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"], path
        assert csp["frame-ancestors"] == ["'self'"], path
        nonces = {v for v in csp["script-src"] if v.startswith("'nonce-")}
        html = response.content.decode()
        for attrs in INLINE_SCRIPT.findall(html):
            found = re.search(r'nonce="([^"]+)"', attrs)
            assert found and f"'nonce-{found.group(1)}'" in nonces, (path, attrs)
    # The HR dashboard's chart bootstrap is an inline script: it must be the nonced kind.
    assert INLINE_SCRIPT.search(hr.get("/hr/").content.decode())


@pytest.mark.django_db
def test_player_sources_are_allowed(demo):
    csp = policy(signed_in("officer1").get(lesson_url()))
    # hls.js: MediaSource video from blob:, its worker from blob:, segments by fetch.
    assert csp["media-src"] == ["'self'", "blob:"]
    assert csp["worker-src"] == ["'self'", "blob:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_each_response_gets_its_own_nonce(demo):
    hr = signed_in("hr_a")
    first = policy(hr.get("/hr/"))["script-src"]
    second = policy(hr.get("/hr/"))["script-src"]
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_admin_sites_get_their_own_policy(demo, path):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(path)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert not any(v.startswith("'nonce-") for v in csp["script-src"] + csp["style-src"])
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_lockout_and_error_pages_carry_the_policy(client, demo):
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]
