"""Query-string forms for the catalogue and site search (validated; bad input is a 400)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.bilingual import one_language_choices
from officers.models import AgencyType

from .models import RoadmapPhase

DURATION_CHOICES = [
    ("", _("ทุกความยาว")),
    ("short", _("ไม่เกิน 10 นาที")),
    ("medium", _("11-30 นาที")),
    ("long", _("มากกว่า 30 นาที")),
]
DURATION_RANGES = {"short": (0, 10), "medium": (11, 30), "long": (31, None)}
MAX_QUERY_LENGTH = 200
BAD_VALUE = {
    "invalid_choice": _("ค่าตัวกรองไม่ถูกต้อง: %(value)s"),
    "invalid": _("ค่าไม่ถูกต้อง"),
    "min_value": _("เลขหน้าต้องไม่น้อยกว่า %(limit_value)s"),
    "max_value": _("เลขหน้ามากเกินไป"),
}


class CatalogueFilterForm(forms.Form):
    topic = forms.SlugField(required=False, label=_("หัวข้อเครื่องมือ"), error_messages=BAD_VALUE)
    skill = forms.SlugField(required=False, label=_("ด้านทักษะ"), error_messages=BAD_VALUE)
    phase = forms.ChoiceField(
        required=False,
        label=_("ระยะ"),
        choices=[("", _("ทุกระยะ")), *one_language_choices(RoadmapPhase.choices)],
        error_messages=BAD_VALUE,
    )
    agency_type = forms.ChoiceField(
        required=False,
        label=_("ประเภทหน่วยงาน"),
        choices=[("", _("ทุกประเภท")), *one_language_choices(AgencyType.choices)],
        error_messages=BAD_VALUE,
    )
    duration = forms.ChoiceField(
        required=False,
        label=_("ความยาว"),
        choices=DURATION_CHOICES,
        error_messages=BAD_VALUE,
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, error_messages=BAD_VALUE
    )

    def __init__(self, *args, topics=(), skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topic_slugs = {t.slug for t in topics}
        self.skill_slugs = {s.slug for s in skills}

    def clean_topic(self):
        value = self.cleaned_data["topic"]
        if value and value not in self.topic_slugs:
            raise forms.ValidationError(_("ไม่พบหัวข้อเครื่องมือนี้"))
        return value

    def clean_skill(self):
        value = self.cleaned_data["skill"]
        if value and value not in self.skill_slugs:
            raise forms.ValidationError(_("ไม่พบด้านทักษะนี้"))
        return value


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        label=_("ค้นหา"),
        error_messages={"max_length": _("คำค้นยาวเกิน %(limit_value)d ตัวอักษร")},
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, error_messages=BAD_VALUE
    )
