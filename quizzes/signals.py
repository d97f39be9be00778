"""Signals the quizzes app sends upward (progress turns a graded attempt into lesson completion)."""

from django.dispatch import Signal

# Sent once per attempt when it is graded, inside the grading transaction:
# sender=Attempt, attempt=Attempt, user=User, quiz=Quiz, passed=bool, score=float (0-100).
attempt_graded = Signal()
