"""What the administrator checks: failed and interrupted e-mails (with the error), and the event log.
A delivery can be queued again from its list (action), once the cause is fixed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DigestDelivery, EmailDelivery, EventRecord


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ("key", "event_type", "recipient", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("key",)
    readonly_fields = (
        "notification",
        "key",
        "status",
        "attempts",
        "last_error",
        "claimed_at",
        "sent_at",
        "digest",
    )
    actions = ("send_again",)

    @admin.display(description=_("event"))
    def event_type(self, obj):
        return obj.notification.event.get_type_display()

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.notification.recipient

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("notification__event", "notification__recipient")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected e-mails again"))
    def send_again(self, request, queryset):
        from .tasks import send_email

        ids = list(
            queryset.filter(
                status__in=[EmailDelivery.Status.FAILED, EmailDelivery.Status.INTERRUPTED]
            ).values_list("pk", flat=True)
        )
        EmailDelivery.objects.filter(pk__in=ids).update(status=EmailDelivery.Status.PENDING, last_error="")
        for pk in ids:
            send_email.delay(pk)


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ("recipient", "day", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    readonly_fields = ("recipient", "day", "status", "attempts", "last_error", "claimed_at", "sent_at")

    def has_add_permission(self, request):
        return False


@admin.register(EventRecord)
class EventRecordAdmin(admin.ModelAdmin):
    list_display = ("created_at", "type", "dossier_id", "session_id", "dispatched_at")
    list_filter = ("type",)
    readonly_fields = ("type", "dossier", "session", "actor", "key", "data", "created_at", "dispatched_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
