from django.contrib import admin

from torsion.web.learn.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "focus", "listed", "order", "reviewed")
    list_editable = ("listed", "order")
    list_filter = ("focus", "listed")
    search_fields = ("name", "region", "description")
