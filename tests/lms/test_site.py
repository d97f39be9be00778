"""The site shell: Thai home page, accessible base template, login, admin, API plumbing."""

import pytest


@pytest.mark.django_db
def test_home_page_is_thai_and_accessible(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert "เรียนรู้รัฐบาลดิจิทัล" in html


@pytest.mark.django_db
def test_language_switcher_turns_the_site_english(client, demo):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_browser_accept_language_does_not_override_thai_default(client, demo):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in html


@pytest.mark.django_db
def test_login_is_csrf_protected_and_works(demo):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get("/accounts/login/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    refused = strict.post(
        "/accounts/login/", {"username": "officer1", "password": "demo-pass-2568"}
    )
    assert refused.status_code == 403
    token = strict.cookies["csrftoken"].value
    ok = strict.post(
        "/accounts/login/",
        {"username": "officer1", "password": "demo-pass-2568", "csrfmiddlewaretoken": token},
    )
    assert ok.status_code == 302
    bad = Client().post("/accounts/login/", {"username": "officer1", "password": "wrong"})
    assert "ไม่ถูกต้อง" in bad.content.decode()


@pytest.mark.django_db
def test_wagtail_admin_login_and_api_endpoints(client, demo):
    assert client.get("/admin/login/").status_code == 200
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert client.get("/api/v2/pages/").json()["meta"]["total_count"] >= 1


@pytest.mark.django_db
def test_unknown_page_is_a_thai_404(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบ" in response.content.decode()


@pytest.mark.django_db  # a 404 passes through Wagtail's redirect middleware, which reads sites
def test_media_files_are_served_from_the_current_media_root(client, media_root):
    (media_root / "videos").mkdir()
    (media_root / "videos" / "master.m3u8").write_text("#EXTM3U\n")
    response = client.get("/media/videos/master.m3u8")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"#EXTM3U\n"
    assert client.get("/media/../settings.py").status_code in (400, 404)


@pytest.mark.django_db
def test_media_names_too_long_for_the_filesystem_are_a_404(client, media_root):
    # Longer than NAME_MAX: the filesystem raises OSError (ENAMETOOLONG), not "not found".
    client.raise_request_exception = False
    (media_root / "hls").mkdir()  # exists on any site that has transcoded a clip
    assert client.get("/media/" + "a" * 300 + ".jpg").status_code == 404
    assert client.get("/media/hls/" + "b" * 256 + "/index.m3u8").status_code == 404


@pytest.mark.django_db
def test_certificate_code_with_nul_is_a_404_before_any_query(client):
    # PostgreSQL cannot take NUL in a text parameter (psycopg raises DataError, a 500).
    from django.db import connection

    params = []

    def record(execute, sql, sql_params, many, context):
        params.extend(sql_params or [])
        return execute(sql, sql_params, many, context)

    client.raise_request_exception = False
    with connection.execute_wrapper(record):
        assert client.get("/certificates/verify/abc%00def/").status_code == 404
    assert not any(isinstance(p, str) and "\x00" in p for p in params)
