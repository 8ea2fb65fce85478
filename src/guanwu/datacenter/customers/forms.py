"""Forms only shape input; the checks (工商信息校验, duplicates, codes) live in the services."""

from __future__ import annotations

from django import forms
from django.db import models

from guanwu.params import services as params

from .models import Customer
from .services import FIELDS, AuxKind, aux_choices

_INPUT = {"class": "form-control form-control-sm"}
_CODE = {"class": "form-control form-control-sm font-monospace text-uppercase"}
# Form order and column widths (of 12): four rows without gaps.
LAYOUT = {"name": 6, "scc": 3, "ciq_code": 3, "customs_code": 3, "phone": 3, "contact": 3, "country": 3,
          "address": 6, "postcode": 3, "email": 3, "note": 12}


def prime_picker(form: forms.Form, name: str, table: str) -> None:
    """Give a picker <select> its current value as the one option, shown before Tom Select loads."""
    value = form.data.get(name) if form.is_bound else form.initial.get(name)
    if value:
        # the option's text is the name: the picker shows "code - name" itself
        form.fields[name].widget.choices = [(value, params.code_name(table, value) or value)]


class CustomerForm(forms.Form):
    """The 客户信息 fields with the model's labels; ``country`` uses the shared code picker."""

    marked_required = ("name", "scc")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in LAYOUT:
            model_field = Customer._meta.get_field(name)
            attrs = dict(_CODE if name in {"scc", "customs_code", "ciq_code"} else _INPUT)
            if name == "scc":
                attrs.update(maxlength="18", placeholder="18位, 境内客户必填")
            elif name == "customs_code":
                attrs.update(maxlength="10", placeholder="10位")
            elif name == "ciq_code":
                attrs.update(maxlength="10", placeholder="10位数字")
            if name == "country":
                widget: forms.Widget = forms.Select(
                    {"class": "form-select form-select-sm", "data-picker": "countries", "placeholder": "代码/名称/拼音"}
                )
                self.fields[name] = forms.CharField(label=model_field.verbose_name, required=False, widget=widget)
                continue
            widget = forms.Textarea({**attrs, "rows": 2}) if name == "note" else forms.TextInput(attrs)
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name, required=False, strip=True, widget=widget
            )
        for name, width in LAYOUT.items():
            self.fields[name].width = width
        self.fields["name"].widget.attrs["autofocus"] = True
        prime_picker(self, "country", "countries")

    @classmethod
    def for_customer(cls, customer: Customer | None, data=None) -> CustomerForm:
        initial = {name: getattr(customer, name) for name in FIELDS} if customer else {"country": "CHN"}
        return cls(data, initial=initial)


class AuxForm(forms.Form):
    """A form for one kind of auxiliary row, built from the kind's model fields."""

    def __init__(self, *args, kind: AuxKind, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in kind.fields:
            default = kind.model._meta.get_field(name)
            if name not in self.initial and default.has_default():
                self.initial[name] = default.get_default()
        for name in kind.fields:
            model_field = kind.model._meta.get_field(name)
            label = model_field.verbose_name
            required = name in kind.required
            if model_field.choices:
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=aux_choices(kind, name), required=False,
                    widget=forms.Select({"class": "form-select form-select-sm"}),
                )
            elif name in kind.pickers:
                self.fields[name] = forms.CharField(label=label, required=False, widget=forms.Select({
                    "class": "form-select form-select-sm", "data-picker": kind.pickers[name],
                }))
            elif isinstance(model_field, models.TextField):
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea({**_INPUT, "rows": 2})
                )
            else:
                self.fields[name] = forms.CharField(label=label, required=False, widget=forms.TextInput(_INPUT))
            self.fields[name].marked_required = required
        for name, table in kind.pickers.items():
            prime_picker(self, name, table)
