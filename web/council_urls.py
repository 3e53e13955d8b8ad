from django.urls import path

from . import ballot_views
from . import council_views as v
from .field_visit_views import field_visit_view

urlpatterns = [
    path("", v.council_home, name="council_home"),
    path("<int:council_id>/len-lich/", v.session_schedule_view, name="council_session_schedule"),
    path("phien/<int:pk>/", v.session_detail, name="council_session"),
    path("phien/<int:pk>/chuong-trinh/", v.session_agenda, name="council_session_agenda"),
    path("phien/<int:pk>/diem-danh/", v.session_attendance, name="council_session_attendance"),
    path("phien/<int:pk>/mo-bo-phieu/", v.session_ballot_open, name="council_session_open"),
    path("phien/<int:pk>/dong-bo-phieu/", v.session_ballot_close, name="council_session_close"),
    path("phien/<int:pk>/bo-phieu/", v.ballot_screen, name="council_ballot"),
    path("phien/<int:pk>/ho-so/<int:dossier_id>/", v.agenda_dossier, name="council_agenda_dossier"),
    path("phien/<int:pk>/ho-so/<int:dossier_id>/xung-dot/", v.conflict_declare_view, name="council_conflict"),
    path(
        "phien/<int:pk>/rut-xung-dot/<int:withdrawal_id>/",
        v.conflict_withdrawal_decide_view,
        name="council_conflict_withdrawal_decide",
    ),
    path("phien/<int:pk>/ho-so/<int:dossier_id>/ghi-chu/", v.advisory_note_view, name="council_note"),
    path("phien/<int:pk>/ho-so/<int:dossier_id>/thuc-te/", field_visit_view, name="council_field_visit"),
    path("phien/<int:session_id>/phieu/", ballot_views.ballot_cast_view, name="ballot_cast"),
]
