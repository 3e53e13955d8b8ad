from django.urls import path

from . import registry_views as v

urlpatterns = [
    path("", v.registry_list, name="registry_list"),
    path("<slug:public_id>/", v.registry_artisan_page, name="registry_artisan"),
]
