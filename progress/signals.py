"""Signals the progress app sends so that other parts can react without imports."""

from django.dispatch import Signal

# sender=LessonCompletion, completion=LessonCompletion
lesson_completed = Signal()
# sender=CourseCompletion, completion=CourseCompletion (certificates are issued on it)
course_completed = Signal()
