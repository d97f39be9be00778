"""Signals the progress app sends so that other parts can react without imports."""

from django.dispatch import Signal

# sender=CourseCompletion, completion=CourseCompletion, user=User, course=CoursePage;
# sent once per completed round (certificates are issued on it).
course_completed = Signal()
