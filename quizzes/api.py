"""JSON endpoints of the quizzes app, mounted under /api/v1/ by lms.api."""

from ninja import Router

router = Router(tags=["quizzes"])
