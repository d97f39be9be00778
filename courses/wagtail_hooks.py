"""Admin registration: agency scoping of the page chooser (reference snippets: reference app)."""

from __future__ import annotations

from wagtail import hooks

from .models import AgencyCourseFolderPage, SuccessStoryIndexPage


@hooks.register("construct_page_chooser_queryset")
def hide_other_agencies_areas(pages, request):
    """Agency editors do not see (so cannot choose) another agency's stories or drafts."""
    user = request.user
    if user.is_superuser:
        return pages
    areas = [
        *SuccessStoryIndexPage.objects.filter(agency__isnull=False),
        *AgencyCourseFolderPage.objects.all(),
    ]
    for area in areas:
        if not area.permissions_for_user(user).can_edit():
            pages = pages.exclude(path__startswith=area.path)
    return pages
