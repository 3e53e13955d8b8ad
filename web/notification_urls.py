from django.urls import path

from . import notification_views as v

urlpatterns = [
    path("", v.notification_list, name="notification_list"),
    path("<int:pk>/da-doc/", v.notification_read, name="notification_read"),
    path("da-doc-het/", v.notification_read_all, name="notification_read_all"),
    path("cach-nhan/", v.notification_preferences, name="notification_preferences"),
]
