"""Admin for reference data and rules. Dossiers themselves are worked on in the officers' pages (through
the services); the admin shows them read-only, without the sensitive personal data."""

from django.contrib import admin

from .models import (
    Artisan,
    Craft,
    Dossier,
    Round,
    RoundMilestone,
    RoundRuleOverride,
    RulebookVersion,
    RuleParameter,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoundMilestoneInline(admin.TabularInline):
    model = RoundMilestone
    fields = ("level", "description", "due_on")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    """Read-only: rounds are created and edited on the Ministry's round pages (`/bo/dot/`), through the
    services that check the plan, keep the history and never change a rulebook version once a dossier
    has been received."""

    inlines = [RoundMilestoneInline]
    list_display = ("number", "name", "plan_decision_number", "plan_decision_date", "rulebook")
    list_select_related = ("rulebook",)
    search_fields = ("name", "plan_decision_number")


@admin.register(Craft)
class CraftAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_special", "special_basis")
    list_filter = ("is_special",)
    search_fields = ("name", "code")


class RuleParameterInline(admin.TabularInline):
    model = RuleParameter
    fields = ("key", "value", "article", "confidence", "description_vi")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RulebookVersion)
class RulebookVersionAdmin(ReadOnlyAdmin):
    """A version is data loaded by migration; a round's values are changed by overrides, not here."""

    list_display = ("legal_basis", "version", "effective_from")
    inlines = [RuleParameterInline]


@admin.register(RoundRuleOverride)
class RoundRuleOverrideAdmin(ReadOnlyAdmin):
    list_display = ("round", "key", "value", "reason", "created_by", "created_at")
    list_filter = ("round", "key")
    list_select_related = ("round", "created_by")


@admin.register(Artisan)
class ArtisanAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "gender", "date_of_birth", "craft", "province", "is_deceased")
    exclude = ("cccd", "ethnicity")  # sensitive: never in the admin
    list_select_related = ("craft", "province")
    search_fields = ("full_name",)


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "artisan", "title", "round", "province", "received_on", "channel")
    list_filter = ("round", "title", "channel")
    list_select_related = ("artisan", "round", "province")
    search_fields = ("code", "artisan__full_name")
