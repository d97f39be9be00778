"""Registers the ``lms_oidc`` provider with allauth (it imports ``<app>.provider``)."""

from .oidc.provider import LmsOidcProvider

provider_classes = [LmsOidcProvider]
