"""allauth forms with the platform's rules."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from officers.selectors import user_holds_staff_role


class LoginForm(allauth_forms.LoginForm):
    """Password sign-in; older clients post ``username`` instead of ``login``."""

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data")
        if data is not None and not data.get("login") and data.get("username"):
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("ชื่อผู้ใช้หรืออีเมล")
        self.fields["login"].widget.attrs["placeholder"] = ""
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        # The id the page always had (scripts and browser checks fill #id_username).
        self.fields["login"].widget.attrs["id"] = "id_username"
        self.fields["password"].label = _("รหัสผ่าน")
        self.fields["password"].help_text = ""


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """Officers only: a staff account never gets a reset link by e-mail (its password
    and second factor are managed by administrators). The answer is the same either
    way, so the form tells nobody which addresses belong to staff."""

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = [u for u in self.users if not user_holds_staff_role(u)]
        return email


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def clean(self):
        if self.user is not None and user_holds_staff_role(self.user):
            raise forms.ValidationError(
                _("บัญชีเจ้าหน้าที่ดูแลระบบตั้งรหัสผ่านใหม่ทางลิงก์ไม่ได้ กรุณาติดต่อผู้ดูแลระบบ")
            )
        return super().clean()
