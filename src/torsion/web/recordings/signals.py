from django.db.models.signals import post_delete
from django.dispatch import receiver

from torsion.web.recordings.models import Recording


@receiver(post_delete, sender=Recording)
def delete_video_file(sender, instance: Recording, **kwargs) -> None:
    """A deleted recording leaves no video behind (also when a whole patient is deleted)."""
    if instance.video:
        instance.video.storage.delete(instance.video.name)
