"""Admin forms: agency editors can only give content to their own agency subtree."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from officers import scoping

from .models import QuestionBank


class AgencyOwnedForm(WagtailAdminModelForm):
    """For banks and quizzes: a non-central editor must pick an agency in their subtree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get("agency")
        if user is None or field is None or scoping.user_is_central_reviewer(user):
            return
        agency = scoping.user_agency(user) if scoping.user_is_agency_editor(user) else None
        field.queryset = scoping.editable_agencies(user)
        if agency is None:
            return
        field.required = True
        field.empty_label = None
        if not self.instance.pk:
            self.initial.setdefault("agency", agency.pk)


class QuestionForm(WagtailAdminModelForm):
    """A question may only go into a bank the editor may edit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and "bank" in self.fields:
            self.fields["bank"].queryset = scoping.editable(user, QuestionBank.objects.all())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        formset = self.formsets.get("choices")
        # ClusterForm validates the choice formset after clean(); validate it now to count.
        if formset is None or not kind or not formset.is_valid():
            return cleaned
        rows = [
            f.cleaned_data
            for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        right = sum(1 for r in rows if r.get("is_correct"))
        if kind in ("single", "true_false") and right != 1:
            raise forms.ValidationError(_("ต้องมีคำตอบถูกหนึ่งข้อพอดี"))
        if kind == "multiple" and right < 1:
            raise forms.ValidationError(_("ต้องมีคำตอบถูกอย่างน้อยหนึ่งข้อ"))
        if kind == "true_false" and len(rows) != 2:
            raise forms.ValidationError(_("คำถามถูก/ผิดต้องมี 2 ตัวเลือก"))
        return cleaned


class ImportForm(forms.Form):
    bank = forms.ModelChoiceField(queryset=QuestionBank.objects.none(), label=_("คลังข้อสอบ"))
    file = forms.FileField(
        label=_("ไฟล์ CSV หรือ XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("ตรวจสอบอย่างเดียว ยังไม่นำเข้า"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = (
            scoping.editable(user, QuestionBank.objects.all())
            if user is not None
            else QuestionBank.objects.none()
        )


class QuizForm(AgencyOwnedForm):
    """A non-central editor may draw only from central banks or their own subtree's."""

    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        if user is None or scoping.user_is_central_reviewer(user):
            return cleaned

        def allowed(owner) -> bool:
            return scoping.may_use_owned_by(user, owner)

        for name, get_owner in (
            ("bank_draws", lambda f: getattr(f.cleaned_data.get("bank"), "agency", None)),
            (
                "fixed_questions",
                lambda f: getattr(
                    getattr(f.cleaned_data.get("question"), "bank", None), "agency", None
                ),
            ),
        ):
            formset = self.formsets.get(name)
            if formset is None or not formset.is_valid():
                continue
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None)
                if data and not data.get("DELETE") and not allowed(get_owner(form)):
                    raise forms.ValidationError(
                        _(
                            "ใช้ได้เฉพาะคลังข้อสอบส่วนกลางหรือของหน่วยงานตนเอง / "
                            "Only central banks or your own agency's banks can be used"
                        )
                    )
        return cleaned
