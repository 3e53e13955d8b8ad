from django.urls import path

from . import document_views as docs
from . import dossier_views as pages
from . import nominee_import_views as imports
from .attachment_views import attachment_download

urlpatterns = [
    path("", pages.dossier_list, name="dossier_list"),
    path("viec-can-lam/", pages.task_inbox, name="task_inbox"),
    path("bo-loc/", pages.saved_filter_save_view, name="saved_filter_save"),
    path("bo-loc/<int:pk>/xoa/", pages.saved_filter_delete_view, name="saved_filter_delete"),
    path("tiep-nhan/", pages.dossier_receive_view, name="dossier_receive"),
    path("kiem-tra-dong/<slug:name>/", pages.evidence_row_check, name="evidence_row_check"),
    path("nhap-excel/", imports.nominee_import_start, name="nominee_import"),
    path("nhap-excel/mau/", imports.nominee_import_template, name="nominee_import_template"),
    path("nhap-excel/<int:import_id>/", imports.nominee_import_preview, name="nominee_import_preview"),
    path(
        "nhap-excel/<int:import_id>/xac-nhan/", imports.nominee_import_confirm, name="nominee_import_confirm"
    ),
    path("<int:pk>/", pages.dossier_detail, name="dossier_detail"),
    path("<int:pk>/chung-cu/", pages.dossier_evidence, name="dossier_evidence"),
    path("<int:pk>/tep/", pages.dossier_attachment_add, name="dossier_attachment_add"),
    path("<int:pk>/buoc/", pages.dossier_step, name="dossier_step"),
    path(
        "<int:pk>/de-nghi-hoi-dong-xem-xet/",
        pages.dossier_council_judgement,
        name="dossier_council_judgement",
    ),
    path("tep/<int:pk>/", attachment_download, name="attachment_download"),
    path("<int:pk>/ca-nhan/", pages.dossier_reveal_sensitive, name="dossier_reveal_sensitive"),
    path("van-ban/", docs.document_list, name="document_list"),
    path("van-ban/<uuid:uid>/tai-ve/", docs.document_download, name="document_download"),
    path("van-ban/<uuid:uid>/lam-lai/", docs.document_retry_view, name="document_retry"),
    path("van-ban/<uuid:uid>/dinh-chinh/", docs.document_correct_view, name="document_correct"),
]
