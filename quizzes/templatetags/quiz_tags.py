"""Template tags of the quizzes app: what the quiz shell offers the signed-in officer."""

from django import template

from quizzes import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_availability(context, quiz):
    """Start button, or when the next attempt opens, or that none is left."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return selectors.Availability(can_start=False)
    return selectors.quiz_availability(quiz=quiz, user=user)


@register.simple_tag
def quiz_messages() -> str:
    """The quiz script's interface text in the interface language, as JSON for the
    shell's ``data-messages`` ({n}, {score}... are filled in by quiz.js)."""
    import json

    from django.utils.translation import gettext as _

    return json.dumps(
        {
            "single": _("เลือกหนึ่งข้อ"),
            "true_false": _("เลือกถูกหรือผิด"),
            "multiple": _("เลือกได้หลายข้อ"),
            "ordering": _("เรียงลำดับด้วยปุ่มขึ้น/ลง"),
            "up": _("เลื่อนขึ้น: {text}"),
            "down": _("เลื่อนลง: {text}"),
            "order": _("ลำดับปัจจุบัน: {order}"),
            "passed": _("ผ่าน"),
            "failed": _("ไม่ผ่าน"),
            "mark": _("{score}% (เกณฑ์ {mark}%)"),
            "right": _("ถูกต้อง"),
            "partly": _("ถูกบางส่วน"),
            "wrong": _("ยังไม่ถูก"),
            "answer": _("เฉลย: {answer}"),
            "law": _("ฐานทางกฎหมาย"),
            "again": _("ทำอีกครั้ง"),
            "time_left": _("เวลาที่เหลือ {time}"),
            "starting": _("กำลังเริ่ม..."),
            "error": _("ข้อผิดพลาด {status}"),
            "questions": _("{n} ข้อ"),
            "left": _("เหลืออีก {n} ครั้ง"),
            "offline": _("เชื่อมต่อไม่ได้"),
            "submitting": _("กำลังส่ง..."),
            "score": _("ได้ {score}%"),
        },
        ensure_ascii=False,
    )
