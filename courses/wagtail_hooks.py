"""Admin registration: reference snippets and agency scoping of the page chooser."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    AgencyCourseFolderPage,
    LegalProvision,
    SkillArea,
    SuccessStoryIndexPage,
    ToolTopic,
)


class ToolTopicViewSet(SnippetViewSet):
    model = ToolTopic
    icon = "cogs"
    menu_label = _("หัวข้อเครื่องมือ / Tool topics")
    list_display = ["name_th", "name_en", "slug"]
    panels = [
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("provisions"),
    ]


class LegalProvisionViewSet(SnippetViewSet):
    model = LegalProvision
    icon = "pick"
    menu_label = _("บทบัญญัติกฎหมาย / Legal provisions")
    list_display = ["law_name_th", "section", "law_name_en"]
    list_filter = ["law_name_th"]


class SkillAreaViewSet(SnippetViewSet):
    model = SkillArea
    icon = "list-ul"
    menu_label = _("ด้านทักษะดิจิทัล / Skill areas")
    list_display = ["name_th", "name_en", "kind"]
    list_filter = ["kind"]


class ReferenceViewSetGroup(SnippetViewSetGroup):
    items = (ToolTopicViewSet, LegalProvisionViewSet, SkillAreaViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("ข้อมูลอ้างอิง / Reference data")
    menu_name = "reference"


register_snippet(ReferenceViewSetGroup)


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
            pages = pages.not_descendant_of(area, inclusive=True)
    return pages
