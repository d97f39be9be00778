"""OpenID Connect on allauth's generic provider, with the checks it leaves out.

allauth's ``openid_connect`` provider sends no nonce and, when it fetched the ID token
itself, does not check its signature. This provider (``lms_oidc``) keeps allauth's
flow (discovery, state, PKCE, the social-login pipeline) and adds: a nonce bound to
the stashed state, the signature always checked against the provider's JWKS (refetched
once when a token names a key it does not know: keys rotate), only asymmetric
algorithms the provider advertises (never ``none``), issuer, audience, ``azp``,
expiry and issue time, and userinfo accepted only for the same ``sub``.
"""
