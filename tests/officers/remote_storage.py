"""A private storage reachable only through the storage API, like object storage: its
files live in the process's memory (shared by the in-process worker), at no local path."""

from django.core.files.storage import InMemoryStorage


class RemoteOnlyStorage(InMemoryStorage):
    def path(self, name):
        raise NotImplementedError("this storage has no local paths (like S3)")

    def _relative_path(self, name):
        # InMemoryStorage resolves names through path(); keep that inside the storage.
        return super().path(name)[len(str(self.location)) :].lstrip("/") or "."
