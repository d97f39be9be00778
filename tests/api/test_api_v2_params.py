"""Wagtail's API v2 at /api/v2/: malformed paging and search parameters are a 400 with
Wagtail's own message, never a 500 from the search backend or the database."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_course, served_course_index

pytestmark = pytest.mark.django_db

ENDPOINTS = ["pages", "images", "documents"]
HUGE = "99999999999999999999"  # past 64 bits


@pytest.fixture
def anon():
    served_course_index()
    make_course("หลักสูตร API")
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_search_operator_is_a_400(anon, endpoint):
    r = anon.get(f"/api/v2/{endpoint}/", {"search": "x", "search_operator": "zz"})
    assert r.status_code == 400
    assert "search_operator" in r.json()["message"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "params",
    [
        {"offset": HUGE},
        {"limit": HUGE},
        {"offset": str(2**63 - 1), "limit": "10"},
        {"offset": "-1"},
        {"limit": "abc"},
    ],
)
def test_out_of_range_paging_is_a_400(anon, endpoint, params):
    r = anon.get(f"/api/v2/{endpoint}/", params)
    assert r.status_code == 400
    assert r.json()["message"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_valid_parameters_still_work(anon, endpoint):
    for params in ({}, {"offset": "0", "limit": "5"}, {"search": "API", "search_operator": "and"}):
        r = anon.get(f"/api/v2/{endpoint}/", params)
        assert r.status_code == 200, (params, r.content)
    assert "items" in r.json()


def test_pages_search_operator_or_finds_the_course(anon):
    r = anon.get("/api/v2/pages/", {"search": "API zzz", "search_operator": "or"})
    assert r.status_code == 200
    assert r.json()["meta"]["total_count"] >= 1
