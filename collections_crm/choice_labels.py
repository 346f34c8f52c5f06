"""``get_<field>_display()`` without rebuilding the field's choices on every call.

Django's version turns the whole choice list into a dict on each call, hashing every (lazy) label on
the way, which translates each one: 7 translations to show one queue name. A list of 25 cases called it
50 times per page. Here the value → label map is built once per field; the label is still translated
when shown, in the active language."""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict[models.Field, dict] = {}


def choice_labels(field: models.Field) -> dict:
    """The field's value → label map (labels stay lazy, so they follow the active language)."""
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = {make_hashable(value): label for value, label in field.flatchoices}
    return labels


class ChoiceLabelsModel(models.Model):
    """Abstract base for models whose choice labels are shown in long lists (queues, timelines)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)
