"""Forms for channel choices: an officer's own, and an agency's defaults (HR)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .channels.line import line_enabled
from .models import AgencyNotificationDefault, NotificationPreference

FIELDS = ["email", "line", "push", "digest"]


class _ChannelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not line_enabled():  # without LINE settings, LINE is hidden
            del self.fields["line"]

    def choice(self) -> dict[str, bool]:
        data = {name: bool(self.cleaned_data.get(name)) for name in FIELDS}
        data["line"] = data["line"] and line_enabled()
        return data


class PreferenceForm(_ChannelForm):
    class Meta:
        model = NotificationPreference
        fields = FIELDS


class AgencyDefaultForm(_ChannelForm):
    agency = forms.ModelChoiceField(queryset=None, label=_("หน่วยงาน (รวมหน่วยย่อย)"))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the HR user's own subtree can be chosen (officers.scoping scopes it).
        self.fields["agency"].queryset = agencies

    def validate_unique(self):
        """An agency that already has defaults gets them changed, not a second row: the
        save (services.agency_default_set) updates the agency's row in place, so the
        one-per-agency check of a new row does not apply."""
        exclude = self._get_validation_exclusions()
        exclude.add("agency")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)

    class Meta:
        model = AgencyNotificationDefault
        fields = ["agency", *FIELDS]
