"""Certificate URLs (download, public verification), included by progress.urls."""

urlpatterns: list = []
