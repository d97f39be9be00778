"""The one scoping module: what may this user see, and in which role.

Every read of officer data, and every check of a role or of an agency subtree, goes
through here; role names live in ``officers.roles``. Other apps never filter on an
agency's tree path themselves.

- An administrator (superuser or the administrator group) sees everything.
- An agency HR user sees the people of their own agency subtree.
- An agency editor edits content owned by their own agency subtree.
- A central reviewer (and an administrator) reviews and edits all content.
- Everyone else sees only themselves.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from . import roles
from .models import Agency, OfficerProfile

# --- The agency tree (django-treebeard's materialised path) ---


def subtree_q(agency: Agency | None, field: str = "agency") -> Q:
    """A Q keeping rows whose unit (the relation to Agency named ``field``, e.g.
    "user__officer_profile__agency"; "" for Agency itself) is ``agency`` or below it;
    nothing when ``agency`` is None. The one subtree filter in the code base."""
    if agency is None:
        return Q(pk__in=[])
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}path__startswith": agency.path})


def agency_subtree(agency: Agency) -> QuerySet[Agency]:
    """The unit and every unit below it, in tree order. (Not treebeard's ``get_tree``: its
    shortcut for a leaf trusts the in-memory ``numchild``, stale once a unit gains
    children after ``agency`` was read.)"""
    return Agency.objects.filter(subtree_q(agency, "")).order_by("path")


def agency_within(agency: Agency | None, root: Agency | None) -> bool:
    """Whether ``agency`` is ``root`` or a unit below it (no query)."""
    if agency is None or root is None:
        return False
    return agency.pk == root.pk or agency.is_descendant_of(root)


# --- Roles ---


def _active(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", True)
    )


def role_names(user) -> set[str]:
    """The user's role (group) names, read once per request object."""
    cached = getattr(user, "_officer_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.pk else set()
        user._officer_role_names = cached
    return cached


def user_agency(user) -> Agency | None:
    """The unit of the user's officer profile, if any."""
    if not _active(user):
        return None
    try:
        return user.officer_profile.agency
    except (AttributeError, ObjectDoesNotExist):
        return None


def user_is_administrator(user) -> bool:
    return _active(user) and bool(user.is_superuser or roles.ADMINISTRATOR in role_names(user))


def user_is_agency_hr(user) -> bool:
    return _active(user) and roles.AGENCY_HR in role_names(user) and user_agency(user) is not None


def user_is_agency_editor(user) -> bool:
    return (
        _active(user) and roles.AGENCY_EDITOR in role_names(user) and user_agency(user) is not None
    )


def user_is_central_reviewer(user) -> bool:
    """Central reviewers and administrators: review, publish and edit all content."""
    return _active(user) and (
        user_is_administrator(user) or roles.CENTRAL_REVIEWER in role_names(user)
    )


def user_holds_staff_role(user) -> bool:
    """Staff flag, superuser or any staff group (editor, reviewer, HR, administrator), for
    any account (active or not): such accounts are never touched by an HR file."""
    if user.is_staff or user.is_superuser:
        return True
    return bool(set(roles.STAFF_ROLES) & role_names(user))


def user_can_see_hr(user) -> bool:
    """HR pages and exports: agency HR (own subtree) or administrators (all)."""
    return user_is_administrator(user) or user_is_agency_hr(user)


def administrators() -> QuerySet:
    """Accounts holding the administrator role."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATOR))
        .distinct()
    )


# --- People: HR scope ---


def agencies_visible_to(user) -> QuerySet[Agency]:
    """Units whose people ``user`` may see: all, their HR subtree, or none."""
    if user_is_administrator(user):
        return Agency.objects.all()
    if user_is_agency_hr(user):
        return agency_subtree(user_agency(user))
    return Agency.objects.none()


def agency_visible_to(user, agency_id) -> Agency | None:
    """One unit if ``user`` may see its people, else None (callers answer 403 or 404)."""
    return agencies_visible_to(user).filter(pk=agency_id).first()


def officer_scope_q(user, prefix: str = "") -> Q | None:
    """A Q on OfficerProfile (or on a relation to it named by ``prefix``, e.g.
    "user__officer_profile__"); None means no restriction (administrators)."""
    if user_is_administrator(user):
        return None
    if user_is_agency_hr(user):
        return subtree_q(user_agency(user), f"{prefix}agency")
    if _active(user):
        return Q(**{f"{prefix}user_id": user.pk})
    return Q(pk__in=[])


def officers_visible_to(user) -> QuerySet[OfficerProfile]:
    """Officer profiles ``user`` may read, with agency and user joined."""
    qs = OfficerProfile.objects.select_related("agency", "user", "supervisor")
    q = officer_scope_q(user)
    return qs if q is None else qs.filter(q)


def users_visible_to(user) -> QuerySet:
    """User accounts ``user`` may read; filter learning records with it."""
    User = get_user_model()
    if not _active(user):
        return User.objects.none()
    if user_is_administrator(user):
        return User.objects.all()
    if user_is_agency_hr(user):
        return User.objects.filter(subtree_q(user_agency(user), "officer_profile__agency"))
    return User.objects.filter(pk=user.pk)


def page_open_to(user, page) -> bool:
    """Whether Wagtail's view restrictions on the page (and its ancestors) let the user
    in, as far as code without the request can tell: sign-in and group restrictions are
    checked; a shared password is the request's to prove (the quiz API asks it)."""
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == restriction.LOGIN:
            if not user.is_authenticated:
                return False
        elif restriction.restriction_type == restriction.GROUPS and not user.is_superuser:
            allowed = set(restriction.groups.values_list("pk", flat=True))
            if not allowed & set(user.groups.values_list("pk", flat=True)):
                return False
    return True


MAX_DB_ID = 2**63 - 1


def is_db_id(value) -> bool:
    """Whether ``value`` can be a primary key (a positive 64-bit integer): anything
    larger would overflow the database driver (a 500) rather than match nothing."""
    try:
        return 0 < int(value) <= MAX_DB_ID
    except (TypeError, ValueError, OverflowError):
        return False


def officer_visible_to(user, *, officer_user_id: int) -> OfficerProfile | None:
    """One officer's profile if ``user`` may see it, else None (callers answer 404)."""
    if not is_db_id(officer_user_id):
        return None
    return officers_visible_to(user).filter(user_id=officer_user_id).first()


# --- Content: what an editor may edit (banks, quizzes, pages' owning agency) ---


def user_may_edit_content(user) -> bool:
    """Central reviewers, administrators and agency editors edit (some) content."""
    return user_is_central_reviewer(user) or user_is_agency_editor(user)


def editable_q(user, field: str = "agency") -> Q | None:
    """Q over the owning-agency relation ``field`` for content ``user`` may edit: all for
    central reviewers and administrators, the own subtree for agency editors; None means
    nothing."""
    if user_is_central_reviewer(user):
        return Q()
    if user_is_agency_editor(user):
        return subtree_q(user_agency(user), field)
    return None


def editable(user, qs: QuerySet, field: str = "agency") -> QuerySet:
    """The rows of ``qs`` (agency-owned content) that ``user`` may edit."""
    q = editable_q(user, field)
    return qs.none() if q is None else qs.filter(q)


def usable(user, qs: QuerySet, field: str = "agency") -> QuerySet:
    """Like ``editable``, plus central content (no owning agency): what an editor may
    place on their pages or draw from."""
    q = editable_q(user, field)
    if q is None:
        return qs.none()
    if not user_is_central_reviewer(user):
        q = Q(**{f"{field}__isnull": True}) | q
    return qs.filter(q)


def may_edit_owned_by(user, owner: Agency | None) -> bool:
    """Whether ``user`` may edit content owned by ``owner`` (None: central content)."""
    if user_is_central_reviewer(user):
        return True
    return user_is_agency_editor(user) and agency_within(owner, user_agency(user))


def may_use_owned_by(user, owner: Agency | None) -> bool:
    """Whether ``user`` may draw on content owned by ``owner`` (central content too)."""
    if owner is None:
        return user_is_central_reviewer(user) or user_is_agency_editor(user)
    return may_edit_owned_by(user, owner)


def editable_agencies(user) -> QuerySet[Agency]:
    """Units an editor may give their content to."""
    if user_is_central_reviewer(user):
        return Agency.objects.all()
    if user_is_agency_editor(user):
        return agency_subtree(user_agency(user))
    return Agency.objects.none()


def content_editors() -> QuerySet:
    """Accounts that may edit some agency-owned content (for Wagtail's policy)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__name__in=(roles.CENTRAL_REVIEWER, roles.ADMINISTRATOR))
            | Q(groups__name=roles.AGENCY_EDITOR, officer_profile__isnull=False)
        )
        .distinct()
    )
