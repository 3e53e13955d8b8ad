from django.contrib import admin

from .models import Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "plan_decision_number", "plan_decision_date", "rulebook")
    search_fields = ("name", "plan_decision_number")
