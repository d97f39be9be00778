"""Schemathesis against /api/v1/openapi.json as a signed-in officer, in-process.

Every operation gets generated valid and invalid requests: none may answer 5xx,
and every response must match the documented schema and status codes.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpRequest
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lms.api import api
from lms.wsgi import application

# "not_a_server_error" is always on; these are the schema checks we hold ourselves to.
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


# The schema is generated in-process (no database needed); requests go to the WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: keep the test's connection open across requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_session(demo):
    client = Client()
    assert client.login(request=HttpRequest(), username="officer1", password="demo-pass-2568")
    client.get("/accounts/login/")  # sets the CSRF cookie
    session = client.cookies["sessionid"].value
    csrf = client.cookies["csrftoken"].value
    return {"cookies": {"sessionid": session, "csrftoken": csrf}, "headers": {"X-CSRFToken": csrf}}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_api_never_errors_and_matches_its_schema(case, officer_session, keep_test_connection):
    case.call_and_validate(checks=CHECKS, **officer_session)
