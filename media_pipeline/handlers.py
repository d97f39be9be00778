"""Model signal receivers: deleting an asset deletes its files once the delete commits."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import VideoAsset


@receiver(post_delete, sender=VideoAsset, dispatch_uid="media_pipeline_delete_files")
def delete_files(sender, instance: VideoAsset, **kwargs) -> None:
    from .services import video_delete_files

    # Capture now: Django clears instance.pk once the delete is done.
    asset_id, name, storage = instance.pk, instance.file.name, instance.file.storage
    transaction.on_commit(
        lambda: video_delete_files(asset_id=asset_id, file_name=name, storage=storage)
    )
