from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def widget(field: BoundField) -> str:
    """Render a form field's widget, adding Bootstrap's ``is-invalid`` when it has errors."""
    if not field.errors:
        return field.as_widget()
    css = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{css} is-invalid".strip(), "aria-invalid": "true"})


@register.filter
def get_item(mapping: dict, key: str):
    """``errors|get_item:name``: a dict entry by a variable key (empty list when absent)."""
    return mapping.get(key, []) if mapping else []
