"""The officer's own page, ``/me/`` (PDPA right of access): enrolments with due dates,
completed courses with certificates, the JSON export and "take it again".

Thin views: the record comes from progress's selectors and services, due dates from
hr's assignment selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import CoursePage
from lms.learning import my_learning
from officers.scoping import is_db_id
from progress.record.selectors import learning_record
from progress.record.services import RestartError, course_restart


@login_required
def me(request):
    context = my_learning(request.user, timezone.localdate())
    context["profile"] = getattr(request.user, "officer_profile", None)
    # The "take it again" help stands under the cards only when a card offers it.
    context["any_again"] = any(c["enrolment"].round_done for c in context.get("cards", []))
    return render(request, "lms/me.html", context)


@login_required
def me_record_json(request):
    response = JsonResponse(
        learning_record(request.user), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="my-learning-record.json"'
    return response


@login_required
@require_POST
def me_course_again(request, course_id: int):
    """Open the next round of a course the officer has completed (a yearly refresher)."""
    if not is_db_id(course_id):  # no such row; SQLite would raise OverflowError on the query
        raise Http404(_("ไม่พบหลักสูตร"))
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise Http404(_("ไม่พบหลักสูตร"))
    try:
        enrolment = course_restart(user=request.user, course=course)
    except RestartError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    messages.success(
        request,
        _("เริ่มเรียนรอบที่ %(n)d แล้ว ใบประกาศนียบัตรเดิมยังใช้ได้") % {"n": enrolment.cycle},
    )
    return redirect(course.get_url(request) or "me")
