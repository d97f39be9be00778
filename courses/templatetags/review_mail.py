"""For the workflow e-mails (wagtailadmin/notifications overrides): the reviewer's comment."""

from __future__ import annotations

from django import template

from common.bilingual import recipient_language as _recipient_language

register = template.Library()


@register.simple_tag
def reviewer_comment(obj, given=""):
    """The comment the reviewer left on the latest finished review of ``obj`` (Wagtail's
    own workflow comment); ``given`` when the notifier passed one already."""
    if given:
        return given
    from wagtail.models import TaskState, WorkflowState

    states = WorkflowState.objects.for_instance(obj)
    task_state = (
        TaskState.objects.filter(workflow_state__in=states)
        .exclude(finished_at=None)
        .order_by("-finished_at")
        .first()
    )
    return task_state.get_comment() if task_state else ""


@register.simple_tag
def mail_title(obj) -> str:
    """The page's (or object's) title as the admin shows it."""
    if obj is None:
        return ""
    specific = getattr(obj, "specific", obj)
    getter = getattr(specific, "get_admin_display_title", None)
    return str(getter() if getter else specific)


@register.simple_tag
def mail_link(obj) -> str:
    """An absolute link (WAGTAILADMIN_BASE_URL) to the object's edit view in the admin."""
    from django.conf import settings
    from django.urls import reverse
    from wagtail.models import Page

    if obj is None:
        return ""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    if isinstance(obj, Page):
        return base + reverse("wagtailadmin_pages:edit", args=[obj.pk])
    from wagtail.admin.admin_url_finder import AdminURLFinder

    url = AdminURLFinder().get_edit_url(obj)
    return base + url if url else ""


@register.simple_tag
def recipient_language(user) -> str:
    """Wagtail renders the HTML part outside its per-recipient language override: the
    template switches to the recipient's language itself."""
    return _recipient_language(user)
