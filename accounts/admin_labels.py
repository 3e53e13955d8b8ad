"""The Django admin in Vietnamese: every model's name and every field's label goes through gettext.

Labels of third-party models (django-axes, django-celery-beat, django-otp, viewflow) and the labels that
Django derives from a field's name when a model gives none ("created at") are plain English to
makemessages. `translate_model_labels` (run once by AccountsConfig.ready, when every model is loaded)
makes each plain-text name lazily translated, and the strings below are marked with gettext_noop so
that `make messages` keeps them in locale/vi/LC_MESSAGES/django.po, where their Vietnamese is."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

THIRD_PARTY_AND_DERIVED = (
    # derived from field names in this project's models
    gettext_noop("sort key"),
    gettext_noop("created at"),
    gettext_noop("created by"),
    gettext_noop("updated at"),
    gettext_noop("generated at"),
    gettext_noop("requested at"),
    gettext_noop("requested by"),
    gettext_noop("SHA-256"),
    gettext_noop("uid"),
    gettext_noop("cccd index"),
    gettext_noop("claimed at"),
    gettext_noop("recipient"),
    gettext_noop("digest"),
    gettext_noop("key"),
    gettext_noop("notification"),
    gettext_noop("actor"),
    gettext_noop("data"),
    gettext_noop("dispatched at"),
    gettext_noop("dossier"),
    gettext_noop("session"),
    gettext_noop("texts"),
    # django-axes
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Attempt Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Path"),
    gettext_noop("User Agent"),
    gettext_noop("Access lock out"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    # django-celery-beat
    gettext_noop("clocked"),
    gettext_noop("Clock Time"),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("Day(s) Of The Month"),
    gettext_noop("Day(s) Of The Week"),
    gettext_noop("Hour(s)"),
    gettext_noop("Minute(s)"),
    gettext_noop("Month(s) Of The Year"),
    gettext_noop("Cron Timezone"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    gettext_noop("Number of Periods"),
    gettext_noop("Interval Period"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
    gettext_noop("Positional Arguments"),
    gettext_noop("Clocked Schedule"),
    gettext_noop("Crontab Schedule"),
    gettext_noop("Last Modified"),
    gettext_noop("Description"),
    gettext_noop("Enabled"),
    gettext_noop("Exchange"),
    gettext_noop("Expires timedelta with seconds"),
    gettext_noop("Expires Datetime"),
    gettext_noop("AMQP Message Headers"),
    gettext_noop("Interval Schedule"),
    gettext_noop("Keyword Arguments"),
    gettext_noop("Last Run Datetime"),
    gettext_noop("Name"),
    gettext_noop("One-off Task"),
    gettext_noop("Priority"),
    gettext_noop("Queue Override"),
    gettext_noop("Routing Key"),
    gettext_noop("Solar Schedule"),
    gettext_noop("Start Datetime"),
    gettext_noop("Task Name"),
    gettext_noop("Total Run Count"),
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    gettext_noop("Solar Event"),
    gettext_noop("Latitude"),
    gettext_noop("Longitude"),
    # django-otp
    gettext_noop("TOTP device"),
    gettext_noop("TOTP devices"),
    gettext_noop("confirmed"),
    gettext_noop("digits"),
    gettext_noop("drift"),
    gettext_noop("last t"),
    gettext_noop("last used at"),
    gettext_noop("name"),
    gettext_noop("step"),
    gettext_noop("t0"),
    gettext_noop("throttling failure count"),
    gettext_noop("throttling failure timestamp"),
    gettext_noop("tolerance"),
    gettext_noop("user"),
    # viewflow
    gettext_noop("Process"),
    gettext_noop("Process list"),
    gettext_noop("Task"),
    gettext_noop("Tasks"),
    gettext_noop("artifact"),
    gettext_noop("artifact content type"),
    gettext_noop("artifact object id"),
    gettext_noop("Created"),
    gettext_noop("Finished"),
    gettext_noop("Flow"),
    gettext_noop("parent task"),
    gettext_noop("seed"),
    gettext_noop("seed content type"),
    gettext_noop("seed object id"),
    gettext_noop("Assigned"),
    gettext_noop("External Task ID"),
    gettext_noop("Type"),
    gettext_noop("Owner"),
    gettext_noop("Permission"),
    gettext_noop("owner permission content type"),
    gettext_noop("owner permission obj"),
    gettext_noop("owner permission obj pk"),
    gettext_noop("Previous"),
    gettext_noop("Scheduled"),
    gettext_noop("Started"),
    gettext_noop("Token"),
)


def _lazy(text):
    return text if isinstance(text, Promise) or not text else gettext_lazy(str(text))


def translate_model_labels() -> None:
    """Make every model's verbose names and every field's verbose name lazily translated."""
    from django.apps import apps
    from django.utils import translation

    for model in apps.get_models():
        meta = model._meta
        meta.verbose_name = _lazy(meta.verbose_name)
        if "verbose_name_plural" in meta.original_attrs:
            meta.verbose_name_plural = _lazy(meta.verbose_name_plural)
        else:  # Django's "<name>s", which no catalogue can translate: the English text as a msgid
            with translation.override(None):
                meta.verbose_name_plural = gettext_lazy(str(meta.verbose_name_plural))
        for field in meta.get_fields():
            if getattr(field, "auto_created", False) and not getattr(field, "concrete", False):
                continue
            if hasattr(field, "verbose_name"):
                field.verbose_name = _lazy(field.verbose_name)
