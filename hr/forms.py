"""Forms of the HR pages: report filters, assignments, assisted completions.

Units come from the scoping layer (``officers.scoping``): a unit outside the user's HR
scope is refused with the code ``out_of_scope`` (the views answer 403), an unknown one
as an invalid choice (400).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.thai_dates import fiscal_year_parse
from courses.models import CoursePage
from officers.models import Agency, PositionLevel, PositionType
from officers.scoping import agencies_visible_to

from .models import Recurrence
from .selectors import STATUSES, assignment_duplicate
from .services import MSG_COURSE_NOT_PUBLISHED, MSG_DUE_TOO_FAR, due_date_too_far

OUT_OF_SCOPE = "out_of_scope"
MSG_UNIT_OUT_OF_SCOPE = _("หน่วยงานนี้อยู่นอกขอบเขตของท่าน")
MSG_UNKNOWN_UNIT = _("ไม่พบหน่วยงาน")
MSG_UNKNOWN_COURSE = _("ไม่พบหลักสูตร")
MSG_BAD_DATE = _("วันที่ไม่ถูกต้อง (ปปปป-ดด-วว)")
MSG_BAD_CHOICE = _("ตัวเลือกไม่ถูกต้อง")
MSG_PAST_DUE = _("กำหนดส่งต้องไม่ใช่วันที่ผ่านมาแล้ว")
MSG_DUPLICATE = _("มีการมอบหมายหลักสูตรนี้ให้หน่วยงานและตำแหน่งเดียวกันอยู่แล้ว")
MSG_QUERY_TOO_LONG = _("คำค้นยาวเกินไป")
MAX_ID_DIGITS = 12


def one_language(label: str) -> str:
    """One half of an older "Thai / English" twin choice label: the one of the active language
    (one language per screen)."""
    if " / " not in label:
        return label
    thai, english = label.split(" / ", 1)
    return english if get_language() == "en" else thai


def recurrence_choices() -> list[tuple[str, str]]:
    return [(Recurrence.NONE, _("ครั้งเดียว")), (Recurrence.YEARLY, _("ทุกปี"))]


def _one_language_choices(form: forms.Form) -> None:
    for name in ("position_types", "position_levels"):
        if name in form.fields:
            form.fields[name].choices = [
                (v, one_language(str(label))) for v, label in form.fields[name].choices
            ]
    if "recurrence" in form.fields:
        form.fields["recurrence"].choices = recurrence_choices()


class FiscalYearField(forms.CharField):
    """A fiscal year in the Buddhist or the Common Era (common.thai_dates), cleaned to CE."""

    def to_python(self, value):
        try:
            return fiscal_year_parse(super().to_python(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


def is_id(value) -> bool:
    """A short string of ASCII digits: the only primary key a request may name."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS


class IdChoiceField(forms.ModelChoiceField):
    """A choice by primary key; anything but a short string of digits is refused before
    the database sees it."""

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class UnitField(IdChoiceField):
    """A unit in the user's HR scope; a real unit outside it is refused as out of scope."""

    default_error_messages = {
        "invalid_choice": MSG_UNKNOWN_UNIT,
        OUT_OF_SCOPE: MSG_UNIT_OUT_OF_SCOPE,
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            real = is_id(value) and Agency.objects.filter(pk=int(value)).exists()
            if exc.code == "invalid_choice" and real:
                raise ValidationError(self.error_messages[OUT_OF_SCOPE], code=OUT_OF_SCOPE) from exc
            raise


def published_courses():
    """Courses HR may assign or record: live and public (Wagtail's view restrictions)."""
    return CoursePage.objects.live().public()


def _scoped_units(form: forms.Form, user) -> None:
    form.fields["unit"].queryset = agencies_visible_to(user).order_by("path")


class RecordFilterForm(forms.Form):
    """?fy= (fiscal year, BE or CE), ?unit= (a unit in scope), ?course= (id)."""

    fy = FiscalYearField(required=False)
    unit = UnitField(queryset=Agency.objects.none(), required=False)
    course = IdChoiceField(
        queryset=CoursePage.objects.all(),
        required=False,
        error_messages={"invalid_choice": MSG_UNKNOWN_COURSE},
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        _scoped_units(self, user)

    def filters(self) -> dict:
        """The keyword filters of hr.selectors (records_for, dashboard_for)."""
        data = self.cleaned_data
        return {
            "fy": data["fy"],
            "agency_id": data["unit"].pk if data["unit"] else None,
            "course_id": data["course"].pk if data["course"] else None,
        }


def _checkboxes(label, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": MSG_BAD_CHOICE},
    )


class AssignmentForm(forms.Form):
    course = IdChoiceField(
        label=_("หลักสูตร"),
        queryset=CoursePage.objects.none(),  # live and public ones, set per form
        error_messages={"invalid_choice": MSG_COURSE_NOT_PUBLISHED},
    )
    unit = UnitField(label=_("หน่วยงาน (รวมหน่วยย่อย)"), queryset=Agency.objects.none())
    position_types = _checkboxes(_("ประเภทตำแหน่ง (ไม่เลือก = ทุกคน)"), PositionType.choices)
    position_levels = _checkboxes(_("ระดับตำแหน่ง"), PositionLevel.choices)
    due_date = forms.DateField(
        label=_("กำหนดส่ง"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": MSG_BAD_DATE},
    )
    recurrence = forms.ChoiceField(
        label=_("การทำซ้ำ"),
        choices=Recurrence.choices,
        initial=Recurrence.NONE,
        required=False,
        error_messages={"invalid_choice": MSG_BAD_CHOICE},
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        _scoped_units(self, user)
        _one_language_choices(self)
        self.fields["course"].queryset = published_courses().order_by("title")

    def clean_recurrence(self) -> str:
        return self.cleaned_data.get("recurrence") or Recurrence.NONE

    def clean_due_date(self):
        day = self.cleaned_data["due_date"]
        if day < timezone.localdate():
            raise ValidationError(MSG_PAST_DUE, code="past_due")
        if due_date_too_far(day):
            raise ValidationError(MSG_DUE_TOO_FAR, code="due_too_far")
        return day

    def clean(self):
        data = super().clean()
        ready = data.get("course") and data.get("unit") and not self.errors
        if ready and assignment_duplicate(
            course_id=data["course"].pk,
            agency_id=data["unit"].pk,
            position_types=data.get("position_types") or [],
            position_levels=data.get("position_levels") or [],
        ):
            raise ValidationError(MSG_DUPLICATE, code="duplicate")
        return data


class AssignmentEditForm(forms.Form):
    """Change an assignment's due date and recurrence (course and unit stay)."""

    due_date = AssignmentForm.base_fields["due_date"]
    recurrence = AssignmentForm.base_fields["recurrence"]

    def clean_recurrence(self) -> str:
        return self.cleaned_data.get("recurrence") or Recurrence.NONE

    clean_due_date = AssignmentForm.clean_due_date

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _one_language_choices(self)


class CoverageForm(forms.Form):
    """?unit=&position_types=&position_levels= for the assignment preview."""

    unit = UnitField(queryset=Agency.objects.none())
    position_types = _checkboxes("", PositionType.choices)
    position_levels = _checkboxes("", PositionLevel.choices)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        _scoped_units(self, user)


class OfficerFilterForm(forms.Form):
    """?q= (name, username or position), ?unit=, ?position= (level or type), ?status=."""

    q = forms.CharField(
        required=False, max_length=100, error_messages={"max_length": MSG_QUERY_TOO_LONG}
    )
    unit = UnitField(queryset=Agency.objects.none(), required=False)
    position = forms.ChoiceField(
        required=False,
        choices=[("", "")] + list(PositionType.choices) + list(PositionLevel.choices),
        error_messages={"invalid_choice": MSG_BAD_CHOICE},
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(s, s) for s in STATUSES],
        error_messages={"invalid_choice": MSG_BAD_CHOICE},
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        _scoped_units(self, user)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "q": (data["q"] or "").strip(),
            "agency_id": data["unit"].pk if data["unit"] else None,
            "position": data["position"] or "",
            "status": data["status"] or "",
        }


class AssistedCompletionForm(forms.Form):
    course = IdChoiceField(
        queryset=CoursePage.objects.none(),  # live and public ones, set per form
        error_messages={"invalid_choice": MSG_COURSE_NOT_PUBLISHED},
    )
    evidence = forms.CharField(max_length=4000, strip=True)
    completed_on = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": MSG_BAD_DATE}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = published_courses()


def form_refusal(form: forms.Form) -> tuple[int, str]:
    """The HTTP status and message for an invalid form: 403 when it names something out of
    the user's scope, else 400."""
    errors = form.errors.as_data()
    codes = {e.code for field_errors in errors.values() for e in field_errors}
    message = " ".join(str(m) for field_errors in form.errors.values() for m in field_errors)
    return (403 if OUT_OF_SCOPE in codes else 400), message
