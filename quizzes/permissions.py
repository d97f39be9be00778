"""Who may edit which banks, questions and quizzes in the admin.

Like pages: agency editors edit what their agency (or a unit below it) owns;
central reviewers, administrators and superusers edit everything, central
content included. Roles are the officers app's group names.
"""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from officers import scoping

ACTIONS = {"add", "change", "delete", "view", "choose"}


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
        return action in ACTIONS and scoping.user_may_edit_content(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action not in ACTIONS:
            return False
        owner = self._owner(instance)
        if owner is None:  # central content: central reviewers and administrators only
            return scoping.user_is_central_reviewer(user)
        return scoping.may_edit_owned_by(user, owner)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        qs = self.model._default_manager.all()
        return scoping.editable(user, qs, self.agency_field) if action in ACTIONS else qs.none()

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, next(iter(actions), ""))

    def users_with_any_permission(self, actions):
        return scoping.content_editors()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def quizzes_usable_by(user) -> QuerySet:
    """Quizzes an editor may place on a page: their own agency's (subtree) and central ones."""
    from .models import Quiz

    return scoping.usable(user, Quiz.objects.all())
