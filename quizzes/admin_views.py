"""Admin views of the quizzes app: question import and per-question analytics (thin)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from officers import scoping

from . import selectors, services
from .forms import ImportForm
from .models import QuestionBank, Quiz

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _require_editor(request: HttpRequest) -> None:
    if not scoping.user_may_edit_content(request.user):
        raise PermissionDenied


def import_questions(request: HttpRequest) -> HttpResponse:
    """Upload CSV/XLSX into a bank; the dry run (default) lists every row error."""
    _require_editor(request)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("ไฟล์ใหญ่เกิน 5 MB"))
            else:
                report = services.questions_import(
                    bank=form.cleaned_data["bank"],
                    data=upload.read(),
                    filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                )
    else:
        form = ImportForm(user=request.user, initial={"bank": request.GET.get("bank")})
    status = 400 if request.method == "POST" and (report is None or not report.ok) else 200
    return TemplateResponse(
        request,
        "quizzes/admin/import.html",
        {"form": form, "report": report, "header_icon": "upload"},
        status=status,
    )


def analytics(request: HttpRequest) -> HttpResponse:
    """Per question: share answering correctly and the most chosen wrong answer."""
    _require_editor(request)
    banks = scoping.editable(request.user, QuestionBank.objects.all())
    quizzes = scoping.editable(request.user, Quiz.objects.order_by("title"))
    bank = quiz = None
    stats = []
    if request.GET.get("quiz", "").isdigit():
        quiz = get_object_or_404(quizzes, pk=int(request.GET["quiz"]))
        stats = selectors.question_analytics(selectors.quiz_questions(quiz), quiz=quiz)
    elif request.GET.get("bank", "").isdigit():
        bank = get_object_or_404(banks, pk=int(request.GET["bank"]))
        stats = selectors.question_analytics(bank.questions.all())
    return TemplateResponse(
        request,
        "quizzes/admin/analytics.html",
        {"banks": banks, "quizzes": quizzes, "bank": bank, "quiz": quiz, "stats": stats},
    )
