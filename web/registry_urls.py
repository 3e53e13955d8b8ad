from django.urls import path

from . import registry_import_views as imports
from . import registry_views as v

urlpatterns = [
    path("", v.registry_list, name="registry_list"),
    # the Ministry's import of earlier rounds (signed in); before the artisans' pages, whose identifiers
    # never contain a hyphen
    path("nhap-excel/", imports.registry_import_start, name="registry_import"),
    path("nhap-excel/mau/", imports.registry_import_template, name="registry_import_template"),
    path("nhap-excel/<int:import_id>/", imports.registry_import_preview, name="registry_import_preview"),
    path(
        "nhap-excel/<int:import_id>/xac-nhan/",
        imports.registry_import_confirm,
        name="registry_import_confirm",
    ),
    path("<slug:public_id>/", v.registry_artisan_page, name="registry_artisan"),
]
