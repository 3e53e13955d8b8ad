from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Agency, User


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """Reference data, loaded by migration accounts 0003 (accounts/data/README.md)."""

    list_display = ("code", "name", "division_type", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "division_type", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent", "successor")
    ordering = ("level", "code", "-valid_from")  # a former province next to the current one of its code

    def get_readonly_fields(self, request, obj=None):
        # A code names a unit in other data (CCCD numbers, old decisions): fixed once the unit exists.
        if obj is not None:
            return ("level", "code", "valid_from")
        return ()


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "short_name", "province", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    list_select_related = ("province",)
    autocomplete_fields = ("province",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "agency", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "groups", "agency__kind")
    search_fields = ("username", "full_name", "email")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "agency", "language")}),
        (_("Roles and rights"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("History"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "agency", "password1", "password2")},
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def has_add_permission(self, request):
        """Accounts are made on the administrators' pages (/quan-tri/nguoi-dung/tao/), which send the
        invitation and record the act; the admin's own form would do neither."""
        return False
