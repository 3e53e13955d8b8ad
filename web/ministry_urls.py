from django.urls import path

from . import ministry_views as v

urlpatterns = [
    path("tong-hop/", v.pipeline, name="ministry_pipeline"),
    path("buoc-theo-lo/", v.batch_step, name="batch_step"),
    path("y-kien/", v.public_comments, name="public_comments"),
    path("y-kien/<int:pk>/khieu-nai/", v.comment_to_complaint, name="comment_to_complaint"),
]
