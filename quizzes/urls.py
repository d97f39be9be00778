"""Site URLs of the quizzes app, included by lms.urls."""

app_name = "quizzes"
urlpatterns: list = []
