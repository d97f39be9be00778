"""Push endpoints are URLs the delivery worker posts to: whatever spelling of an internal
address an officer submits is refused, so the worker is never a request-forgery relay."""

from __future__ import annotations

import socket

import pytest

from progress.notifications.linking import _endpoint_allowed


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.1:6379/",  # short IPv4 forms the resolver expands to 127.0.0.1
        "https://127.0.1/",
        "https://0177.0.0.1/",  # octal
        "https://0x7f.0.0.1/",  # hex
        "https://2130706433/",  # one number
        "https://10.1/push",
        "https://192.168.1/push",
        "https://localhost./push",
        "https://push.localhost/x",
    ],
)
def test_numeric_and_local_spellings_of_internal_hosts_are_refused(endpoint):
    assert not _endpoint_allowed(endpoint)


def test_a_name_that_resolves_to_an_internal_address_is_refused(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        address = {"push.evil.example": "10.0.0.5", "push.good.example": "142.250.1.1"}[host]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert not _endpoint_allowed("https://push.evil.example/x")
    assert _endpoint_allowed("https://push.good.example/x")


def test_a_push_service_name_is_allowed(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("142.250.1.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert _endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc")
    assert _endpoint_allowed("https://updates.push.services.mozilla.com/wpush/v2/abc")
