"""A site whose root is a HomePage with the catalogue at /courses/."""

from __future__ import annotations

import pytest
from wagtail.models import Page, Site

from tests.factories import CourseIndexPageFactory, HomePageFactory


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def home(db):
    Page.objects.filter(depth=2).delete()
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def catalogue(home):
    return CourseIndexPageFactory(parent=home)
