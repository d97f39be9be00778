"""People: users, agencies, officers with profiles, staff in role groups."""

from __future__ import annotations

import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from officers import roles
from officers.models import Agency, OfficerProfile

_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    password = factory.django.Password("pw-12345")


def make_user(username: str | None = None):
    """A bare account (no profile, no group)."""
    username = username or f"officer-{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password="pw-12345678")


def make_agency(code: str = "T", parent: Agency | None = None) -> Agency:
    """The agency with this code, made (as a root, or under ``parent``) if missing."""
    existing = Agency.objects.filter(code=code).first()
    if existing:
        return existing
    if parent is None:
        return Agency.add_root(code=code, name=f"หน่วยงาน {code}")
    return Agency.objects.get(pk=parent.pk).add_child(code=code, name=f"หน่วยงาน {code}")


def make_staff(username, *, group, agency=None, superuser=False):
    """An admin user in a role group with an officer profile in `agency`."""
    user = UserFactory(username=username, is_superuser=superuser, is_staff=superuser)
    g, _ = Group.objects.get_or_create(name=group)
    g.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    user.groups.add(g)
    if agency is not None:
        OfficerProfile.objects.update_or_create(user=user, defaults={"agency": agency})
    return user


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
        agency=unit or make_agency(),
        title_th=title,
        first_name_th=first,
        last_name_th=last,
        email=user.email,
        **profile,
    )
    return user
