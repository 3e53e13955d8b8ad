from django.urls import path

from . import account_views as v

urlpatterns = [
    path("", v.account, name="account"),
    path("ma-xac-thuc/", v.otp_verify, name="otp_verify"),
    path("cai-dat-xac-thuc/", v.otp_enrol, name="otp_enrol"),
    path("xac-nhan-lai/", v.reauth, name="reauth"),
    path("dang-xuat-moi-thiet-bi/", v.logout_everywhere, name="logout_everywhere"),
]
