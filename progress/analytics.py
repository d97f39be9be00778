"""Who may see a clip's audience figures: its collection's editors and central reviewers."""

from __future__ import annotations

from django.db.models import QuerySet

from media_pipeline.models import VideoAsset
from officers.scoping import user_is_central_reviewer


def clips_with_audience_visible_to(user) -> QuerySet[VideoAsset]:
    """Clips whose audience the user may see: all for central reviewers, else the clips in
    collections where wagtailmedia lets the user change media."""
    from wagtailmedia import get_permission_policy

    if user_is_central_reviewer(user):
        return VideoAsset.objects.all()
    if not user.is_authenticated:
        return VideoAsset.objects.none()
    return get_permission_policy().instances_user_has_permission_for(user, "change")
