"""ID-token checks (OpenID Connect Core 3.1.3.7) with the provider's JWKS."""

from __future__ import annotations

import hmac
import json

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.core.cache import cache

# Public-key algorithms only: "none" and the shared-secret HS* family are refused.
ASYMMETRIC_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)


def _jwks(jwks_uri: str, *, refresh: bool) -> dict:
    key = f"lms_oidc_jwks:{jwks_uri}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        with get_adapter().get_requests_session() as session:
            response = session.get(jwks_uri)
            response.raise_for_status()
            keys = response.json()
        if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
            raise OAuth2Error("JWKS is not a key set")
        cache.set(key, keys, settings.LMS_OIDC_JWKS_CACHE_SECONDS)
    return keys


def _find_key(keys: dict, kid: str | None, alg: str):
    candidates = []
    for jwk in keys["keys"]:
        if not isinstance(jwk, dict):
            continue
        if kid is not None and jwk.get("kid") != kid:
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", alg) != alg:
            continue
        candidates.append(jwk)
    if len(candidates) != 1:
        return None  # unknown key, or no kid and a choice of keys
    try:
        return jwt.PyJWK(json.loads(json.dumps(candidates[0])), algorithm=alg).key
    except jwt.PyJWTError as exc:
        raise OAuth2Error("unusable key in JWKS") from exc


def verify_id_token(id_token: str, *, config: dict, client_id: str, nonce: str | None) -> dict:
    """The token's claims once every check passed; OAuth2Error otherwise."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as exc:
        raise OAuth2Error("malformed id_token") from exc
    alg = header.get("alg")
    advertised = config.get("id_token_signing_alg_values_supported") or ["RS256"]
    if alg not in ASYMMETRIC_ALGORITHMS or alg not in advertised:
        raise OAuth2Error(f"id_token algorithm {alg!r} refused")
    kid = header.get("kid")
    key = _find_key(_jwks(config["jwks_uri"], refresh=False), kid, alg)
    if key is None:  # keys rotate: fetch the set again once before refusing
        key = _find_key(_jwks(config["jwks_uri"], refresh=True), kid, alg)
    if key is None:
        raise OAuth2Error("id_token signed with a key not in the provider's JWKS")
    try:
        claims = jwt.decode(
            id_token,
            key=key,
            algorithms=[alg],
            audience=client_id,
            issuer=config["issuer"],
            leeway=settings.LMS_OIDC_LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.PyJWTError as exc:
        raise OAuth2Error(f"id_token refused: {exc.__class__.__name__}") from exc
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise OAuth2Error("id_token azp is not this client")
    if not nonce or not isinstance(claims.get("nonce"), str):
        raise OAuth2Error("id_token carries no nonce")
    if not hmac.compare_digest(claims["nonce"].encode(), nonce.encode()):
        raise OAuth2Error("id_token nonce does not match this sign-in")
    return claims
