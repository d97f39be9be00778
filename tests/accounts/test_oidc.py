"""Single sign-on against a real OpenID Connect provider (npm oidc-provider, 127.0.0.1).

The LMS talks to the provider over real HTTP (discovery, token, userinfo, JWKS); the
browser's hops are a requests session at the provider and Django's test client at the
LMS. Each refusal test fails if the check it names is removed.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from officers import roles

from .conftest import (
    CID_OFFICER,
    CID_STAFF,
    CID_STRANGER,
    at_provider,
    back_to_lms,
    begin,
    make_officer,
    sign_in_with,
    signed_in_user_id,
)

pytestmark = pytest.mark.django_db


def test_login_page_has_one_thai_button_per_provider(client, oidc):
    html = client.get("/accounts/login/").content.decode()
    assert "เข้าสู่ระบบด้วย ThaID" in html
    assert "เข้าสู่ระบบด้วย บัญชีหน่วยงาน" in html


def test_no_provider_configured_shows_no_button(client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = {"lms_oidc": {"APPS": []}}
    assert "เข้าสู่ระบบด้วย" not in client.get("/accounts/login/").content.decode()


def test_thaid_signs_in_the_officer_the_hr_file_holds_by_citizen_id(client, oidc, officer):
    users_before = get_user_model().objects.count()
    authorize = begin(client, "thaid")
    query = parse_qs(urlsplit(authorize).query)
    # Authorization code flow with PKCE (S256), state and nonce.
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and len(query["nonce"][0]) >= 32
    assert set(query["scope"][0].split()) == {"openid", "pid", "profile"}
    response = back_to_lms(client, at_provider(authorize, "somchai"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user_id(client) == str(officer.pk)
    assert get_user_model().objects.count() == users_before
    account = SocialAccount.objects.get(user=officer)
    assert account.uid == "somchai" and account.provider == "thaid"
    # The raw citizen ID is not kept with the link (only the HR file's keyed hash).
    assert CID_OFFICER not in str(account.extra_data)
    assert "สมชาย" in str(account.extra_data)  # the other claims are kept
    # The second time the link is used directly.
    client.post("/accounts/logout/")
    again, _ = sign_in_with(client, "thaid", "somchai")
    assert again.status_code == 302 and signed_in_user_id(client) == str(officer.pk)
    account.refresh_from_db()
    assert CID_OFFICER not in str(account.extra_data)


def test_agency_provider_matches_by_verified_email(client, oidc, agency):
    suda = make_officer(agency, "suda.k", email="suda@agency-a.go.th")
    response, _ = sign_in_with(client, "agency", "suda")
    assert response.status_code == 302 and signed_in_user_id(client) == str(suda.pk)


def test_unverified_email_is_refused(client, oidc, agency):
    make_officer(agency, "suda.k", email="suda@agency-a.go.th")
    response, _ = sign_in_with(client, "agency", "suda-unverified")
    assert response.status_code == 403 and signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_unknown_person_gets_a_thai_message_and_no_account(client, oidc, officer):
    users_before = get_user_model().objects.count()
    response, _ = sign_in_with(client, "thaid", "stranger")
    assert response.status_code == 403
    html = response.content.decode()
    assert "ไม่พบข้อมูลของท่านในระบบ" in html and "ฝ่ายบุคคล" in html and "ThaID" in html
    assert CID_STRANGER not in html
    assert signed_in_user_id(client) is None
    assert get_user_model().objects.count() == users_before
    assert not SocialAccount.objects.exists()


def test_a_staff_account_is_never_matched_by_citizen_id(client, oidc, agency):
    staff = make_officer(agency, "hr.person", cid=CID_STAFF)
    staff.groups.add(Group.objects.get_or_create(name=roles.AGENCY_HR)[0])
    response, _ = sign_in_with(client, "thaid", "staffer")
    assert response.status_code == 403 and signed_in_user_id(client) is None


def test_tampered_state_is_refused(client, oidc, officer):
    callback = at_provider(begin(client, "thaid"), "somchai")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    state = query["state"][0]
    # A different first character (a random state can already start with "x").
    query["state"] = [("y" if state[0] == "x" else "x") + state[1:]]
    response = client.get(parts.path, {k: v[0] for k, v in query.items()})
    assert signed_in_user_id(client) is None
    assert response.status_code != 302 or response["Location"] != "/"


def test_a_replayed_code_is_refused(client, oidc, officer):
    from django.test import Client

    first, callback = sign_in_with(client, "thaid", "somchai")
    assert signed_in_user_id(client) == str(officer.pk)
    # The same callback again (state already used) ...
    replay = Client()
    assert back_to_lms(replay, callback) and signed_in_user_id(replay) is None
    # ... and the old code under a fresh state: the provider refuses the code.
    fresh = Client()
    state = parse_qs(urlsplit(begin(fresh, "thaid")).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    fresh.get("/accounts/oidc/thaid/login/callback/", {"code": code, "state": state})
    assert signed_in_user_id(fresh) is None


@pytest.mark.parametrize(
    "mode,reason",
    [
        ("wrong_aud", "InvalidAudienceError"),
        ("wrong_iss", "InvalidIssuerError"),
        ("expired", "ExpiredSignatureError"),
        ("wrong_nonce", "nonce does not match"),
        ("alg_none", "algorithm 'none' refused"),
        ("unknown_key", "key not in the provider's JWKS"),
    ],
)
def test_a_bad_id_token_is_refused(client, oidc, officer, mode, reason, caplog):
    """The provider's token endpoint answers with a rewritten ID token (tests/oidc)."""
    authorize = begin(client, "thaid")
    callback = at_provider(authorize, "somchai")
    requests.post(f"{oidc}/_test/forge", params={"mode": mode}, timeout=5).raise_for_status()
    with caplog.at_level("WARNING", logger="lms.accounts.adapter"):
        response = back_to_lms(client, callback)
    assert signed_in_user_id(client) is None, mode
    assert response.status_code == 401
    assert "เข้าสู่ระบบด้วยบัญชีดิจิทัลไม่สำเร็จ" in response.content.decode()
    assert reason in caplog.text
    assert not SocialAccount.objects.exists()


def test_a_rotated_provider_key_still_works(client, oidc, officer):
    from django.test import Client

    sign_in_with(client, "thaid", "somchai")
    assert signed_in_user_id(client) == str(officer.pk)  # the old key set is cached now
    kid = requests.post(f"{oidc}/_test/rotate", timeout=5).json()["kid"]
    after = Client()
    sign_in_with(after, "thaid", "somchai")
    assert signed_in_user_id(after) == str(officer.pk), f"signed with {kid}"


def test_logout_ends_the_provider_session_too(client, oidc, officer):
    sign_in_with(client, "thaid", "somchai")
    response = client.post("/accounts/logout/")
    assert signed_in_user_id(client) is None
    # A page of our own moves on to the provider (the site's CSP form-action is 'self').
    end_session = re.search(
        r'data-end-session href="([^"]+)"|href="([^"]+)" data-end-session',
        response.content.decode(),
    )
    target = urlsplit(unescape(end_session.group(1) or end_session.group(2)))
    assert f"{target.scheme}://{target.netloc}" == oidc and target.path == "/session/end"
    query = parse_qs(target.query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]


def test_a_visitor_cannot_add_authorization_parameters(client, oidc):
    response = client.post(
        "/accounts/oidc/thaid/login/?process=login&auth_params=nonce%3Dknown&scope=admin"
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["nonce"] != ["known"] and "admin" not in query["scope"][0]


def test_the_login_page_lets_its_provider_forms_go_to_the_provider(client, oidc):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert oidc in form_action and "'self'" in form_action


def test_linking_a_provider_to_a_signed_in_account_is_refused(client, oidc, agency, officer):
    """process=connect would attach any provider identity to the signed-in account,
    skipping the HR-file match; it is refused."""
    other = make_officer(agency, "other.officer")
    client.force_login(other)
    response = client.post("/accounts/oidc/thaid/login/?process=connect")
    callback = at_provider(response["Location"], "stranger")
    refused = back_to_lms(client, callback)
    assert refused.status_code == 403
    assert not SocialAccount.objects.filter(user=other).exists()
