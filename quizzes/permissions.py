"""Who may edit which banks, questions and quizzes in the admin.

Like pages: agency editors edit what their agency (or a unit below it) owns;
central reviewers, administrators and superusers edit everything, central
content included. Roles are the officers app's group names.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

AGENCY_EDITOR = "agency_editor"
CENTRAL_ROLES = ("central_reviewer", "administrator")
ACTIONS = {"add", "change", "delete", "view", "choose"}


def user_agency(user):
    try:
        return user.officer_profile.agency
    except (AttributeError, ObjectDoesNotExist):
        return None


def _groups(user) -> set[str]:
    if not hasattr(user, "_quizzes_groups"):
        user._quizzes_groups = set(user.groups.values_list("name", flat=True))
    return user._quizzes_groups


def is_central_editor(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(_groups(user) & set(CENTRAL_ROLES))


def is_agency_editor(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return AGENCY_EDITOR in _groups(user) and user_agency(user) is not None


def owner_filter(user, agency_field: str = "agency") -> Q | None:
    """Q over `agency_field` for what the user may edit; None means nothing."""
    if is_central_editor(user):
        return Q()
    if is_agency_editor(user):
        return Q(**{f"{agency_field}__path__startswith": user_agency(user).path})
    return None


class AgencyScopedPolicy(BasePermissionPolicy):
    """Wagtail permission policy: role decides the action, owning agency decides the instance."""

    def __init__(self, model, agency_field: str = "agency"):
        super().__init__(model)
        self.agency_field = agency_field

    def _owner(self, instance):
        for part in self.agency_field.split("__"):
            instance = getattr(instance, part, None) if instance is not None else None
        return instance

    def user_has_permission(self, user, action):
        return action in ACTIONS and (is_central_editor(user) or is_agency_editor(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if is_central_editor(user):
            return True
        owner = self._owner(instance)
        return owner is not None and owner.path.startswith(user_agency(user).path)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        q = owner_filter(user, self.agency_field) if action in ACTIONS else None
        if q is None:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(q)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, next(iter(actions), ""))

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__name__in=CENTRAL_ROLES)
                | Q(groups__name=AGENCY_EDITOR, officer_profile__isnull=False)
            )
            .distinct()
        )

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def quizzes_usable_by(user) -> QuerySet:
    """Quizzes an editor may place on a page: their own agency's (subtree) and central ones."""
    from .models import Quiz

    if is_central_editor(user):
        return Quiz.objects.all()
    if is_agency_editor(user):
        return Quiz.objects.filter(
            Q(agency__isnull=True) | Q(agency__path__startswith=user_agency(user).path)
        )
    return Quiz.objects.none()
