"""The site's frame (issue 16): one language in the header, login and error pages; styled
error pages with DEBUG off (the test settings); sign-in redirects; where links point."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import Site

from lms.views import errors
from tests.languages import assert_one_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(db):
    from django.contrib.auth import get_user_model

    from officers.demo import seed

    seed()
    return {u.username: u for u in get_user_model().objects.all()}


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def _page(resp) -> str:
    html = resp.content.decode()
    assert resp["Content-Type"].startswith("text/html"), resp["Content-Type"]
    assert 'class="site-header"' in html and 'class="card error-page"' in html, html[:500]
    return html


def test_debug_is_off_in_these_tests():
    assert settings.DEBUG is False


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_error_pages_are_styled_and_in_one_language(client, users, language):
    _in(client, language)
    client.force_login(users["hr_a"])
    # A mistyped certificate code: the styled 404, not Django's page.
    resp = client.get("/certificates/verify/NO-SUCH-CODE/")
    assert resp.status_code == 404
    html = _page(resp)
    assert f'<html lang="{language}">' in html
    assert_one_language(html, f"404 {language}")
    assert ("ไม่พบหน้าที่ต้องการ" in html) == (language == "th")
    assert ("We could not find that page" in html) == (language == "en")
    # A forged filter: the styled 400 with the service's own (translated) message.
    resp = client.get("/hr/", {"fy": "abc"})
    assert resp.status_code == 400
    html = _page(resp)
    assert "data-error-detail" in html and 'data-error="400"' in html
    if language == "th":  # hr's catalogue is hr17's; the Thai message is there either way
        assert "ปีงบประมาณไม่ถูกต้อง" in html
        assert_one_language(html, "400 th")
    # Signed in without the HR role: the styled 403.
    client.force_login(users["officer1"])
    resp = client.get("/hr/")
    assert resp.status_code == 403
    html = _page(resp)
    assert 'data-error="403"' in html
    assert_one_language(html, f"403 {language}")
    assert ("You do not have access to this page" in html) == (language == "en")


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_500_page_is_styled_with_the_request(rf: RequestFactory, users, language):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override(language):
        resp = errors.server_error(request)
    html = _page(resp)
    assert resp.status_code == 500 and f'<html lang="{language}">' in html
    assert_one_language(html, f"500 {language}")


def test_anonymous_visitors_are_sent_to_sign_in_with_next(client, users):
    for url in ("/hr/", "/me/"):
        resp = client.get(url)
        assert resp.status_code == 302, url
        assert resp["Location"].startswith("/accounts/login/?next=" + url), resp["Location"]


@pytest.mark.parametrize("language", ["th", "en"])
def test_login_and_home_header_in_one_language(client, users, language):
    _in(client, language)
    html = client.get("/accounts/login/").content.decode()
    assert f'<html lang="{language}">' in html
    assert_one_language(html, f"login {language}")
    client.force_login(users["officer1"])
    html = client.get("/accounts/login/?next=/").content.decode()
    resp = client.get("/no-such-page-at-all/")
    html = resp.content.decode()
    assert_one_language(html, f"header {language}")
    # The header: menu button, inline SVG icons, the favicon, one switch to the other language.
    assert "data-menu-toggle" in html and '<svg class="icon"' in html
    assert 'rel="icon"' in html and "favicon.svg" in html
    other = "en" if language == "th" else "th"
    assert f'name="language" value="{other}" lang="{other}"' in html
    assert f'name="language" value="{language}"' not in html


def test_the_language_switch_changes_the_interface(client, users):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert resp.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html and ">Sign in<" in html and "Skip to main content" in html
    assert_one_language(html, "after the switch")


def test_favicon_ico_leads_to_the_svg_icon(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith(".svg")


def test_the_default_site_follows_where_the_site_is_served(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8765"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8765)
    from wagtail.models import Page

    root = site.root_page
    root.add_child(instance=Page(title="หน้าทดสอบ", slug="chrome-test")).save_revision().publish()
    items = json.loads(client.get("/api/v2/pages/?limit=20").content)["items"]
    urls = [item["meta"]["html_url"] for item in items]
    assert urls and all(url.startswith("http://127.0.0.1:8765/") for url in urls), urls
    settings.LMS_SITE_FOLLOWS_BASE_URL = False
    settings.WAGTAILADMIN_BASE_URL = "https://learn.example.go.th"
    call_command("migrate", verbosity=0)
    site.refresh_from_db()
    assert site.port == 8765, "an editor's Site is left alone when following is off"


def test_the_demo_home_keeps_the_site_where_it_is_served(settings):
    """seed_demo replaces Wagtail's welcome page (and with it the migrated Site): the new
    Site still names the base URL, so `make run` on any port links to itself."""
    from courses.demo import _home

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8766"
    _home()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8766)
    assert site.root_page.specific.__class__.__name__ == "HomePage"
