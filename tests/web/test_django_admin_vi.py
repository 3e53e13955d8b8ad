"""The Django admin that stays in use is in Vietnamese: for every model registered in it, the list and
the form answer 200 to a superuser whose language is Vietnamese and show the model's Vietnamese name,
and every field label of every registered model has a Vietnamese translation."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _model_admin in REGISTERED]


def english(text) -> str:
    with translation.override(None):  # the source text, untranslated
        return str(text)


def in_catalogue(text) -> bool:
    """Whether the Vietnamese catalogue (the project's and the installed apps') has the source text."""
    catalogue = translation.trans_real.translation("vi")._catalog
    return english(text) in catalogue


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("sieuquantri", "sqt@example.vn", "mat-khau-dai-1")
    user.language = "vi"
    user.save()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_changelist_and_form_answer_in_vietnamese(superuser_client, model, model_admin):
    meta = model._meta
    with translation.override("vi"):
        plural = capfirst(str(meta.verbose_name_plural))
    assert in_catalogue(meta.verbose_name_plural), meta.verbose_name_plural
    changelist = superuser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert changelist.status_code == 200
    assert escape(plural) in changelist.text, plural
    assert '<html lang="vi"' in changelist.text
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    else:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    form = superuser_client.get(url)
    if obj is None and form.status_code == 403:  # a model the admin does not let anyone add
        return
    assert form.status_code == 200, url
    with translation.override("vi"):
        name = capfirst(str(meta.verbose_name))
    assert escape(name).lower() in form.text.lower(), name


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_every_field_label_is_translated(model, model_admin):
    meta = model._meta
    assert in_catalogue(meta.verbose_name), meta.verbose_name
    untranslated = [
        f"{field.name}: {english(field.verbose_name)}"
        for field in meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.auto_created
        and hasattr(field, "verbose_name")
        and not in_catalogue(field.verbose_name)
    ]
    assert untranslated == []


def test_the_check_can_fail():
    assert not in_catalogue("a label nobody translated")
    assert in_catalogue("users")
