"""Model signal receivers: queue uploads (from any form), delete files with their asset."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import VideoAsset, VideoStatus


@receiver(pre_save, sender=VideoAsset, dispatch_uid="media_pipeline_file_replaced")
def reset_on_new_file(sender, instance: VideoAsset, raw=False, **kwargs) -> None:
    """A replaced original (wagtailmedia's edit form) starts the pipeline over."""
    if raw or instance.pk is None:
        return
    old = VideoAsset.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if old and old != instance.file.name:
        instance.status = VideoStatus.UPLOADED
        instance.progress_percent = 0
        instance.error_code = instance.error_message = ""
        instance.claim_token = ""
        instance._pipeline_enqueue = True


@receiver(post_save, sender=VideoAsset, dispatch_uid="media_pipeline_enqueue_upload")
def enqueue_upload(sender, instance: VideoAsset, created: bool, raw=False, **kwargs) -> None:
    """Uploads through wagtailmedia's admin views go to the queue like any other."""
    if raw:
        return
    wanted = getattr(instance, "_pipeline_enqueue", created)
    if wanted and instance.status == VideoStatus.UPLOADED:
        from .services import video_enqueue

        instance._pipeline_enqueue = False
        video_enqueue(asset=instance)


@receiver(post_delete, sender=VideoAsset, dispatch_uid="media_pipeline_delete_files")
def delete_files(sender, instance: VideoAsset, **kwargs) -> None:
    from .services import video_delete_files

    # Capture now: Django clears instance.pk once the delete is done.
    key, prefix = instance.public_key, instance.output_prefix
    name, storage = instance.file.name, instance.file.storage
    transaction.on_commit(
        lambda: video_delete_files(
            public_key=key, output_prefix=prefix, file_name=name, storage=storage
        )
    )
