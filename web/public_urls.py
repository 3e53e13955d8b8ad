from django.urls import path

from . import public_views as v

urlpatterns = [
    path("", v.posted_list, name="public_list"),
    path("<int:dossier_id>/y-kien/", v.comment, name="public_comment"),
]
