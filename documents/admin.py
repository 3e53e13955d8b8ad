from django.contrib import admin

from .models import GeneratedDocument, NumberRegister


@admin.register(NumberRegister)
class NumberRegisterAdmin(admin.ModelAdmin):
    """Read-only: numbers are taken only by the services, so the series stays gap-free."""

    list_display = ("issuer_name", "key", "year", "last_number")
    list_filter = ("year",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Read-only, and without the data a document was built from (declarations hold CCCD numbers):
    the status and error of each document, for an administrator to see failures."""

    list_display = ("number_text", "kind", "title", "status", "attempts", "requested_at")
    list_filter = ("status", "kind")
    search_fields = ("number_text", "title")
    fields = (
        "kind",
        "title",
        "number_text",
        "issued_on",
        "status",
        "attempts",
        "error",
        "sha256",
        "size",
        "pdf_note",
        "replaces",
        "correction_reason",
        "requested_by",
        "requested_at",
        "generated_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
