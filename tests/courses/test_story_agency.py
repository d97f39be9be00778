"""Issue 17: a new story starts with the editor's agency; another agency's id is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from courses.models import SuccessStoryPage
from courses.services import agency_editing_setup, review_workflow_setup
from officers import demo as officers_demo
from officers.models import Agency

pytestmark = pytest.mark.django_db


def test_new_story_prefills_the_agency_and_refuses_a_forged_one(home):
    officers_demo.seed()
    review_workflow_setup()
    a, b = Agency.objects.get(code="A"), Agency.objects.get(code="B")
    area_a, _area_b = agency_editing_setup(agency=a), agency_editing_setup(agency=b)
    editor = get_user_model().objects.get(username="editor_a")
    editor.groups.add(area_a.group)
    form_class = SuccessStoryPage.get_edit_handler().get_form_class()

    blank = form_class(
        instance=SuccessStoryPage(), for_user=editor, parent_page=area_a.stories_index
    )
    assert blank.initial["agency"] == a.pk
    assert b not in blank.fields["agency"].queryset

    # What a forged POST of agency B's id meets when the form cleans the field.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        blank.fields["agency"].clean(str(b.pk))
    assert refused.value.messages == ["หน่วยงานนี้อยู่นอกสิทธิ์ของท่าน"]
    assert blank.fields["agency"].clean(str(a.pk)) == a
