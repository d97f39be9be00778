"""The cached demo fixture must give every test the same, complete demo data."""

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from wagtail.models import Page, Site


def _snapshot():
    return {
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "pages": sorted(Page.objects.values_list("url_path", flat=True)),
        "site_root": Site.objects.get(is_default_site=True).root_page.url_path,
    }


@pytest.fixture(scope="module")
def first_snapshot():
    return {}


@pytest.mark.django_db
@pytest.mark.parametrize("round_", [1, 2])
def test_demo_is_identical_on_every_use(demo, client, first_snapshot, round_):
    snap = _snapshot()
    first_snapshot.setdefault("snap", snap)
    assert snap == first_snapshot["snap"]
    assert client.login(request=HttpRequest(), username="officer1", password="demo-pass-2568")
    assert client.get("/").status_code == 200
