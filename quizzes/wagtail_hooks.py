"""Wagtail admin for quizzes: banks, questions (inline choices), quizzes, import, analytics."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    HistoryView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
    UsageView,
)

from officers import scoping

from . import admin_views
from .forms import AgencyOwnedForm, QuestionForm, QuizForm
from .models import Question, QuestionBank, Quiz
from .permissions import AgencyScopedPolicy, quizzes_usable_by

register_permission_policy(QuestionBank, AgencyScopedPolicy(QuestionBank, "agency"))
register_permission_policy(Question, AgencyScopedPolicy(Question, "bank__agency"))
register_permission_policy(Quiz, AgencyScopedPolicy(Quiz, "agency"))


class ScopedObjectMixin:
    """Someone else's agency content is refused even with a guessed URL."""

    scoped_action = "change"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.scoped_action, obj
        ):
            raise PermissionDenied
        return obj


class ScopedEditView(ScopedObjectMixin, EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, DeleteView):
    scoped_action = "delete"


class ScopedHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, UsageView):
    pass


class ScopedInspectView(ScopedObjectMixin, InspectView):
    pass


class ScopedChooserMixin:
    """The chooser lists only what the editor may place: their agency's and central items."""

    def get_object_list(self):
        objects = super().get_object_list()
        if self.model_class is Quiz:
            return objects & quizzes_usable_by(self.request.user)
        policy = policy_registry.get_by_type(self.model_class)
        return objects & policy.instances_user_has_permission_for(self.request.user, "change")


class ScopedChooseView(ScopedChooserMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooserMixin, ChooseResultsView):
    pass


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView


class ScopedViewSet(SnippetViewSet):
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    chooser_viewset_class = ScopedChooserViewSet

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_permission_for(request.user, "change")


class QuestionBankViewSet(ScopedViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("คลังข้อสอบ")
    list_display = ["name", "tool_topic", "skill_area", "agency"]
    list_filter = ["tool_topic", "skill_area"]
    search_fields = ["name"]
    edit_handler = ObjectList(QuestionBank.panels, base_form_class=AgencyOwnedForm)


class QuestionViewSet(ScopedViewSet):
    model = Question
    icon = "help"
    menu_label = _("คำถาม")
    list_display = ["text", "kind", "bank", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["text"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class QuizViewSet(ScopedViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("แบบทดสอบ")
    list_display = ["title", "agency", "pass_mark", "max_attempts"]
    search_fields = ["title"]
    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizForm)


class QuizzesGroup(SnippetViewSetGroup):
    items = (QuizViewSet, QuestionBankViewSet, QuestionViewSet)
    menu_icon = "tasks"
    menu_label = _("แบบทดสอบ")
    menu_name = "quizzes"
    menu_order = 250


register_snippet(QuizzesGroup)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [
        path("quizzes/import/", admin_views.import_questions, name="quizzes_import"),
        path("quizzes/analytics/", admin_views.analytics, name="quizzes_analytics"),
    ]


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.user_may_edit_content(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ScopedMenuItem(
        _("นำเข้าคำถาม"),
        reverse("quizzes_import"),
        icon_name="upload",
        order=251,
    )


@hooks.register("register_admin_menu_item")
def register_analytics_menu_item():
    return ScopedMenuItem(
        _("สถิติคำถาม"),
        reverse("quizzes_analytics"),
        icon_name="table",
        order=252,
    )
