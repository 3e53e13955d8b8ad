from django.urls import path

from . import account_views as v

urlpatterns = [
    path("", v.account, name="account"),
    path("ma-xac-thuc/", v.otp_verify, name="otp_verify"),
    path("cai-dat-xac-thuc/", v.otp_enrol, name="otp_enrol"),
    path("xac-nhan-lai/", v.reauth, name="reauth"),
    path("loi-moi/", v.invitation_accept, name="invitation_accept_submit"),
    path("loi-moi/<str:token>/", v.invitation_accept, name="invitation_accept"),
    path("dang-xuat-moi-thiet-bi/", v.logout_everywhere, name="logout_everywhere"),
]
