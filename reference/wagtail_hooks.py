"""Admin registration of the reference snippets (one "Reference data" menu)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LegalProvision, SkillArea, ToolTopic


class ToolTopicViewSet(SnippetViewSet):
    model = ToolTopic
    icon = "cogs"
    menu_label = _("หัวข้อเครื่องมือ")
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
    menu_label = _("บทบัญญัติกฎหมาย")
    list_display = ["law_name_th", "section", "law_name_en"]
    list_filter = ["law_name_th"]


class SkillAreaViewSet(SnippetViewSet):
    model = SkillArea
    icon = "list-ul"
    menu_label = _("ด้านทักษะดิจิทัล")
    list_display = ["name_th", "name_en", "kind"]
    list_filter = ["kind"]


class ReferenceViewSetGroup(SnippetViewSetGroup):
    items = (ToolTopicViewSet, LegalProvisionViewSet, SkillAreaViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("ข้อมูลอ้างอิง")
    menu_name = "reference"


register_snippet(ReferenceViewSetGroup)
