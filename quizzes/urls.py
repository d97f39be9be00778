"""Site URLs of the quizzes app, included by lms.urls."""

from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("quizzes/<int:pk>/", views.quiz_page, name="quiz"),
]
