"""Model fields: text kept in Unicode NFC, and personal data at rest (see ``core.crypto``).

- ``NFCCharField``: text stored as ``core.text.to_nfc`` gives it (NFC, spaces tidied), whatever writes it.
- ``EncryptedNFCTextField``: the same, then encrypted as ``EncryptedTextField``.
- ``EncryptedTextField``: text stored as a Fernet token; the model reads and writes plain text.
- ``EncryptedJSONField``: a JSON value stored as one Fernet token of its JSON text.
- ``BlindIndexField``: the keyed HMAC of another field's normalised value, computed on every save; put
  the unique constraint and the lookups on it.
- ``SortKeyField``: the Vietnamese sort key (``core.collation``) of another field, computed on every save.

An encrypted column cannot be searched (each save gives a different token): filtering on one raises
``FieldError`` rather than silently matching nothing. Only ``isnull`` is allowed.
"""

from __future__ import annotations

import json

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from . import collation, crypto
from .text import to_nfc


class NFCMixin:
    """Text stored in Unicode NFC with its spaces tidied (``core.text.to_nfc``), by every path that writes it.

    Vietnamese typed on some keyboards or pasted from PDFs arrives decomposed ("ệ" as "e" + two combining
    marks); stored NFC, a name typed either way is the same name in lookups, sorting and uniqueness.

    - ``pre_save``: ``save``, ``objects.create``, ``bulk_create``: the instance keeps the stored value;
    - ``to_python``: ``full_clean`` and deserialisation; and, because ``CharField.get_prep_value`` and
      ``TextField.get_prep_value`` call it, the values of ``update()``, ``bulk_update()`` and exact or
      ``in`` lookups (pattern lookups such as ``contains`` are not prepared by Django and stay as given);
    - ``formfield``: ``core.forms.NFCCharField``, so a form's ``cleaned_data`` and ``max_length`` see the
      stored text.
    None stays None.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return to_nfc(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = to_nfc(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        from .forms import NFCCharField as NFCFormField  # core.forms imports validators; keep models light

        return super().formfield(**{"form_class": NFCFormField, **kwargs})


class NFCCharField(NFCMixin, models.CharField):
    """A ``CharField`` whose stored value is always ``to_nfc`` of what was written (see ``NFCMixin``).

    For one-line text only (names, places, titles): ``to_nfc`` collapses every run of space, newlines too.
    """


class _Encrypted:
    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be filtered on"
                f" ({lookup_name}); use its blind index"
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted; no transform applies")


class EncryptedTextField(_Encrypted, models.TextField):
    """Plain text in Python, a Fernet token in the database. ``max_length`` limits the form field only."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else crypto.encrypt(value)


class EncryptedNFCTextField(NFCMixin, EncryptedTextField):
    """``EncryptedTextField`` of one-line text, normalised by ``to_nfc`` before it is encrypted."""


class EncryptedJSONField(_Encrypted, models.TextField):
    """A JSON value (dict, list, …) in Python; the Fernet token of its JSON text in the database."""

    def __init__(self, *args, encoder=DjangoJSONEncoder, **kwargs):
        self.encoder = encoder
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not DjangoJSONEncoder:
            kwargs["encoder"] = self.encoder
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(crypto.decrypt(value))

    def to_python(self, value):
        if isinstance(value, str):  # from a form or a serializer that wrote the JSON text
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, cls=self.encoder, ensure_ascii=False))

    def value_to_string(self, obj):
        return self.value_from_object(obj)  # the value itself, as JSONField does, for dumpdata and fixtures

    def formfield(self, **kwargs):
        return models.JSONField(encoder=self.encoder).formfield(**kwargs)


class BlindIndexField(models.CharField):
    """HMAC-SHA256 (hex) of ``normalise(getattr(instance, source))`` for ``purpose``, set on every save
    (``save``, ``bulk_create``); an empty source gives NULL. Never edited by hand."""

    def __init__(self, *args, source: str = "", purpose: str = "", normalise=None, **kwargs):
        self.source, self.purpose, self.normalise = source, purpose, normalise
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, purpose=self.purpose)
        if self.normalise is not None:
            kwargs["normalise"] = self.normalise
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        if kwargs.get("editable") is False:
            del kwargs["editable"]
        return name, path, args, kwargs

    def index_of(self, value: str | None) -> str | None:
        """The index of a value (to look it up: ``filter(<field>=field.index_of(value))``)."""
        if value is None:
            return None
        if self.normalise is not None:
            value = self.normalise(value)
        if value == "":
            return None
        return crypto.blind_index(value, purpose=self.purpose)

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class SortKeyField(models.CharField):
    """The Vietnamese sort key (``core.collation``) of another field, set on every save (``save``,
    ``bulk_create``), with an index: order by it for the Vietnamese order on SQLite and PostgreSQL alike.
    ``kind`` is "person" (given name first) or "place" (without its type in front). Never edited by
    hand; rows written with ``update()`` or ``bulk_update()`` need ``refresh_sort_keys``."""

    def __init__(self, *args, source: str = "", kind: str = "person", **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 1024)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        for key, value in (("max_length", 1024), ("editable", False), ("db_index", True), ("default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def key_of(self, value: str | None) -> str:
        return collation.KEYS[self.kind](value or "")

    def pre_save(self, model_instance, add):
        value = self.key_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def refresh_sort_keys(queryset) -> int:
    """Recompute the SortKeyFields of every row of `queryset` (after a bulk change of their sources);
    returns the number of rows."""
    model = queryset.model
    fields = [f for f in model._meta.concrete_fields if isinstance(f, SortKeyField)]
    rows = list(queryset.only("pk", *(f.source for f in fields)))
    for row in rows:
        for field in fields:
            setattr(row, field.attname, field.key_of(getattr(row, field.source)))
    model.objects.bulk_update(rows, [f.name for f in fields], batch_size=500)
    return len(rows)
