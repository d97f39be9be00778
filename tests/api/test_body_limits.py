"""The JSON API's edge: oversized bodies are 413, malformed ones 400, both JSON."""

import json

import pytest
from django.contrib.auth import get_user_model

from lms.api import api


@pytest.fixture
def officer_client(client, db):
    user = get_user_model().objects.create_user(username="learner", password="x-2568-long")
    client.force_login(user)
    return client


def huge_json(settings):
    segments = [[i, i + 0.5] for i in range(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 8)]
    body = json.dumps({"lesson": 1, "segments": segments, "answers": {"1": segments}})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return body


@pytest.mark.parametrize("path", ["/api/v1/progress/heartbeat", "/api/v1/attempts/1/submit"])
def test_a_body_above_the_limit_is_413_json(officer_client, settings, path):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    response = officer_client.post(path, huge_json(settings), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "ขนาดใหญ่เกิน" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/progress/heartbeat", "/api/v1/attempts/1/submit"])
@pytest.mark.parametrize("body", ['{"lesson": 1, "segments": [[0, 1]', "\xff\xfe", "[1, 2", "nan"])
def test_malformed_json_is_400_json(officer_client, path, body):
    response = officer_client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_the_schema_documents_413_on_every_call_that_takes_a_body():
    schema = api.get_openapi_schema()
    body_calls = [
        (path, method, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in {"post", "put", "patch"}
    ]
    assert len(body_calls) >= 2
    for path, method, op in body_calls:
        assert 413 in op["responses"], (path, method)
    heartbeat = schema["paths"]["/api/v1/progress/heartbeat"]["post"]["responses"][413]
    assert heartbeat["content"]["application/json"]["schema"]["$ref"].endswith("/TooLargeOut")


DEEP_JSON = "[" * 5000 + "]" * 5000  # json.loads raises RecursionError, not ValueError


@pytest.mark.parametrize("path", ["/api/v1/progress/heartbeat", "/api/v1/attempts/1/submit"])
def test_deeply_nested_json_is_400_not_500(officer_client, path):
    officer_client.raise_request_exception = False
    response = officer_client.post(path, DEEP_JSON, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_deeply_nested_json_sent_as_a_beacon_is_400_not_500(officer_client):
    # sendBeacon posts text/plain; the CSRF token is read from the body before ninja parses it.
    officer_client.raise_request_exception = False
    beacon = '{"lesson": 1, "session": "x", "segments": [], "position": 0, "csrf": %s}'
    for body in (DEEP_JSON, beacon % DEEP_JSON):
        response = officer_client.post(
            "/api/v1/progress/heartbeat", body, content_type="text/plain;charset=UTF-8"
        )
        assert response.status_code == 400
