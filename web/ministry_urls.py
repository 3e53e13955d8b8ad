from django.urls import path

from . import ministry_views as v
from . import statistics_views

urlpatterns = [
    path("tong-hop/", v.pipeline, name="ministry_pipeline"),
    path("thong-ke/", statistics_views.statistics_page, name="round_statistics"),
    path("buoc-theo-lo/", v.batch_step, name="batch_step"),
    path("y-kien/", v.public_comments, name="public_comments"),
    path("y-kien/<int:pk>/khieu-nai/", v.comment_to_complaint, name="comment_to_complaint"),
]
