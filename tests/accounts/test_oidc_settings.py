"""OpenID Connect providers come from the environment exactly as DESIGN.md names them."""

from __future__ import annotations

import importlib
import json

import pytest

import lms.settings.base as base

VARS = (
    "LMS_OIDC_PROVIDERS",
    "LMS_OIDC_ISSUER",
    "LMS_OIDC_CLIENT_ID",
    "LMS_OIDC_CLIENT_SECRET",
    "LMS_OIDC_SCOPES",
    "LMS_OIDC_MATCH_CLAIM",
    "LMS_OIDC_LABEL",
    "LMS_OIDC_ID",
)


@pytest.fixture
def reload_settings(monkeypatch):
    for name in VARS:
        monkeypatch.delenv(name, raising=False)

    def load():
        return importlib.reload(base)

    yield load
    monkeypatch.undo()
    importlib.reload(base)


def test_none_configured_means_no_provider(reload_settings):
    assert reload_settings().LMS_OIDC_PROVIDERS == []


def test_a_json_list_of_providers(reload_settings, monkeypatch):
    monkeypatch.setenv(
        "LMS_OIDC_PROVIDERS",
        json.dumps(
            [
                {
                    "id": "thaid",
                    "label": "ThaID",
                    "issuer": "https://imauth.bora.dopa.go.th/",
                    "client_id": "abc",
                    "client_secret": "s",
                    "scopes": "pid given_name family_name",
                    "match_claim": "pid",
                },
                {
                    "id": "agency",
                    "label": "Keycloak",
                    "issuer": "https://sso.agency.go.th/realms/staff",
                    "client_id": "lms",
                    "client_secret": "t",
                    "scopes": ["openid", "email"],
                    "match_claim": "email",
                },
            ]
        ),
    )
    settings = reload_settings()
    thaid, agency = settings.LMS_OIDC_PROVIDERS
    assert thaid["issuer"] == "https://imauth.bora.dopa.go.th"
    assert thaid["scopes"] == ["openid", "pid", "given_name", "family_name"]
    assert agency["match_claim"] == "email"
    apps = settings.SOCIALACCOUNT_PROVIDERS["lms_oidc"]["APPS"]
    assert [a["provider_id"] for a in apps] == ["thaid", "agency"]
    assert apps[0]["settings"]["match_claim"] == "pid" and apps[0]["secret"] == "s"


def test_one_provider_from_the_single_variables(reload_settings, monkeypatch):
    monkeypatch.setenv("LMS_OIDC_ISSUER", "https://id.dga.or.th")
    monkeypatch.setenv("LMS_OIDC_CLIENT_ID", "lms")
    monkeypatch.setenv("LMS_OIDC_CLIENT_SECRET", "x")
    monkeypatch.setenv("LMS_OIDC_SCOPES", "openid,email")
    monkeypatch.setenv("LMS_OIDC_MATCH_CLAIM", "email")
    monkeypatch.setenv("LMS_OIDC_LABEL", "DGA Digital ID")
    (provider,) = reload_settings().LMS_OIDC_PROVIDERS
    assert provider["label"] == "DGA Digital ID" and provider["scopes"] == ["openid", "email"]
    assert provider["id"] == "oidc"


def test_an_unknown_match_claim_is_refused_at_start(reload_settings, monkeypatch):
    monkeypatch.setenv("LMS_OIDC_ISSUER", "https://id.example")
    monkeypatch.setenv("LMS_OIDC_CLIENT_ID", "lms")
    monkeypatch.setenv("LMS_OIDC_MATCH_CLAIM", "name")
    with pytest.raises(ValueError, match="match_claim"):
        reload_settings()
