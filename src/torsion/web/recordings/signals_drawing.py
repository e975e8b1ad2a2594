from django.db.models.signals import post_delete
from django.dispatch import receiver

from torsion.web.recordings.models_drawing import Drawing


@receiver(post_delete, sender=Drawing)
def delete_samples_file(sender, instance: Drawing, **kwargs) -> None:
    """A deleted drawing leaves no samples behind (also when a whole patient is deleted)."""
    if instance.samples:
        instance.samples.storage.delete(instance.samples.name)
