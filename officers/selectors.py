"""The one scoping selector: every read of officer data goes through here.

An administrator (superuser or the administrator group) sees everything; an agency
HR user sees their own agency subtree; everyone else sees only themselves.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from . import roles
from .models import Agency, OfficerProfile


def _group_names(user) -> set[str]:
    cached = getattr(user, "_officer_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._officer_role_names = cached
    return cached


def user_is_administrator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or roles.ADMINISTRATOR in _group_names(user))


def user_is_agency_hr(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return roles.AGENCY_HR in _group_names(user) and user_agency(user) is not None


def user_is_central_reviewer(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user_is_administrator(user) or roles.CENTRAL_REVIEWER in _group_names(user))


def user_holds_staff_role(user) -> bool:
    """Staff flag, superuser or any staff group (editor, reviewer, HR, administrator)."""
    if user.is_staff or user.is_superuser:
        return True
    return bool(set(roles.STAFF_ROLES) & _group_names(user))


def user_can_see_hr(user) -> bool:
    """HR pages and exports: agency HR (own subtree) or administrators (all)."""
    return user_is_administrator(user) or user_is_agency_hr(user)


def user_agency(user) -> Agency | None:
    profile = getattr(user, "officer_profile", None) if user.is_authenticated else None
    try:
        return profile.agency if profile else None
    except Agency.DoesNotExist:  # pragma: no cover - PROTECT keeps this from happening
        return None


def agencies_visible_to(user) -> QuerySet[Agency]:
    """Units whose people ``user`` may see: all, their HR subtree, or none."""
    if user_is_administrator(user):
        return Agency.objects.all()
    if user_is_agency_hr(user):
        agency = user_agency(user)
        return Agency.objects.filter(path__startswith=agency.path)
    return Agency.objects.none()


def officer_scope_q(user, prefix: str = "") -> Q | None:
    """A Q on OfficerProfile (or on a relation to it named by ``prefix``, e.g.
    "user__officer_profile__"); None means no restriction (administrators)."""
    if user_is_administrator(user):
        return None
    if user_is_agency_hr(user):
        return Q(**{f"{prefix}agency__path__startswith": user_agency(user).path})
    if getattr(user, "is_authenticated", False):
        return Q(**{f"{prefix}user_id": user.pk})
    return Q(pk__in=[])


def officers_visible_to(user) -> QuerySet[OfficerProfile]:
    """Officer profiles ``user`` may read, with agency and user joined."""
    qs = OfficerProfile.objects.select_related("agency", "user", "supervisor")
    q = officer_scope_q(user)
    return qs if q is None else qs.filter(q)


def users_visible_to(user) -> QuerySet:
    """User accounts (with a profile) ``user`` may read; filter learning records with it."""
    User = get_user_model()
    if not getattr(user, "is_authenticated", False):
        return User.objects.none()
    if user_is_administrator(user):
        return User.objects.all()
    if user_is_agency_hr(user):
        return User.objects.filter(officer_profile__agency__path__startswith=user_agency(user).path)
    return User.objects.filter(pk=user.pk)


def officer_visible_to(user, *, officer_user_id: int) -> OfficerProfile | None:
    """One officer's profile if ``user`` may see it, else None (callers answer 404)."""
    return officers_visible_to(user).filter(user_id=officer_user_id).first()


def agency_subtree(agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(path__startswith=agency.path)
