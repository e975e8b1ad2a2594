from django.urls import path

from torsion.web.records import history_views, transfer_views, treatment_views, views
from torsion.web.records.treatment_views import KINDS

app_name = "records"

P = "patients/<int:patient_id>/"

urlpatterns = [
    path(P + "diary/", views.diary, name="diary"),
    path(P + "diary/regions/", views.diary_regions, name="diary_regions"),
    path(P + "diary/import/", transfer_views.diary_import, name="diary_import"),
    path(P + "diary/import/<int:import_id>/", transfer_views.diary_import_preview, name="diary_import_preview"),
    path(P + "diary/import/<int:import_id>/cancel/", transfer_views.diary_import_cancel, name="diary_import_cancel"),
    path(P + "diary/<str:day>/", views.diary_day, name="diary_day"),
    path(P + "export/", transfer_views.export, name="export"),
    path(P + "history/", history_views.history, name="history"),
    path(P + "cycles/", history_views.cycles, name="cycles"),
    path(P + "treatments/", treatment_views.treatments, name="treatments"),
    path(P + "treatments/injections/new/", treatment_views.injection_form, name="injection_new"),
    path(P + "treatments/injections/grid/", treatment_views.injection_grid, name="injection_grid"),
    path(P + "treatments/injections/<int:injection_id>/repeat/", treatment_views.injection_repeat,
         name="injection_repeat"),
    path(P + "treatments/injections/<int:injection_id>/", treatment_views.injection_detail, name="injection_detail"),
    path(P + "treatments/injections/<int:injection_id>/edit/", treatment_views.injection_form, name="injection_edit"),
    path(P + "treatments/injections/<int:injection_id>/delete/", treatment_views.injection_delete,
         name="injection_delete"),
    path(P + "treatments/dbs/<int:implant_id>/", treatment_views.implant_detail, name="implant_detail"),
    path(P + "treatments/dbs/<int:implant_id>/programming/new/", treatment_views.programming_form,
         name="programming_new"),
    path(P + "treatments/dbs/<int:implant_id>/programming/<int:programming_id>/edit/",
         treatment_views.programming_form, name="programming_edit"),
    path(P + "treatments/dbs/<int:implant_id>/programming/<int:programming_id>/delete/",
         treatment_views.programming_delete, name="programming_delete"),
]

for kind in KINDS.values():
    object_route = f"{P}treatments/{kind.path}/<int:{kind.id_kwarg}>/"
    urlpatterns += [
        path(f"{P}treatments/{kind.path}/new/", treatment_views.record_form, {"kind": kind.name},
             name=f"{kind.name}_new"),
        path(object_route + "edit/", treatment_views.record_form, {"kind": kind.name}, name=f"{kind.name}_edit"),
        path(object_route + "delete/", treatment_views.record_delete, {"kind": kind.name},
             name=f"{kind.name}_delete"),
    ]
