from django.db import models


class Organisation(models.Model):
    """A support or research organisation listed on the public "Finding support" page.

    Kept in the database (not in the page text) so that an administrator can add, correct or retire
    entries in the admin without a new release. The first list is loaded from
    ``learn/content/organisations.yaml`` by a data migration.
    """

    name = models.CharField(max_length=120, unique=True)
    url = models.URLField("web address")
    region = models.CharField(max_length=80, help_text="Where it works, e.g. 'United States' or 'Europe'.")
    description = models.TextField(max_length=600)
    focus = models.CharField(max_length=20, choices=[("support", "Support"), ("research", "Research"),
                                                      ("both", "Support and research")], default="both")
    listed = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)
    reviewed = models.DateField(help_text="When this entry was last checked.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
