from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from torsion.web.accounts.models import CareGrant, Clinician, Patient, User


@admin.register(User)
class TorsionUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Torsion", {"fields": ("role", "display_name")}),)
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ("user", "institution", "verified")
    list_filter = ("verified",)
    list_editable = ("verified",)


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    """Accounts only: health records are deliberately not registered in the admin."""

    list_display = ("user", "created_at")
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")


@admin.register(CareGrant)
class CareGrantAdmin(admin.ModelAdmin):
    list_display = ("patient", "clinician", "can_edit", "granted_at", "revoked_at")
    readonly_fields = ("patient", "clinician", "granted_at")
