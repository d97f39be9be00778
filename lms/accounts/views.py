"""Sign-in pages: allauth's views at the addresses the site always had."""

from __future__ import annotations

from allauth.account.views import LoginView, LogoutView


class StaffLoginView(LoginView):
    """/admin/login/ and /django-admin/login/: the same form, without the e-mail links
    (staff get no reset by e-mail; their factor is asked after the password)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff_entrance"] = True
        return context


login = LoginView.as_view()
staff_login = StaffLoginView.as_view()
logout = LogoutView.as_view()
