"""Builders shared by the certificate and HR tests (courses, officers with profiles)."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage, HomePage
from officers import roles
from officers.models import Agency, OfficerProfile

_seq = itertools.count(1)


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:  # transactional tests flush the tree Wagtail's migration made
            Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="หน้าแรก", slug=f"home-{next(_seq)}"))
    return home.add_child(instance=CourseIndexPage(title="หลักสูตร", slug=f"courses-{next(_seq)}"))


def make_course(title: str = "ลายมือชื่ออิเล็กทรอนิกส์ที่ใช้ได้ตามกฎหมาย") -> CoursePage:
    return course_index().add_child(instance=CoursePage(title=title, slug=f"course-{next(_seq)}"))


def agency(code: str = "T") -> Agency:
    found = Agency.objects.filter(code=code).first()
    return found or Agency.add_root(code=code, name=f"หน่วยงาน {code}")


def make_officer(
    username: str | None = None,
    *,
    unit: Agency | None = None,
    title: str = "นางสาว",
    first: str = "สมหญิง",
    last: str = "รักเรียน",
    groups: tuple[str, ...] = (roles.OFFICER,),
    **profile,
):
    username = username or f"o{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username, password="pw-12345678", email=f"{username}@example.go.th"
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    OfficerProfile.objects.create(
        user=user,
        agency=unit or agency(),
        title_th=title,
        first_name_th=first,
        last_name_th=last,
        email=user.email,
        **profile,
    )
    return user
