"""Forms only shape input for the library pages; checking is the services'."""

from __future__ import annotations

from django import forms

from guanwu.params.enums import IEFlag

from .models import BondedItem, Commodity
from .services import BONDED_INPUT, CODE_FIELDS, COMMODITY_INPUT

_INPUT = {"class": "form-control form-control-sm"}
WIDE = {"g_name", "g_model", "trade_name"}
PARTY = {"trade_code": "code", "trade_name": "name"}


def _fields(form: forms.Form, model, names) -> None:
    for name in names:
        model_field = model._meta.get_field(name)
        attrs = dict(_INPUT)
        if name in CODE_FIELDS:
            widget = forms.Select({"class": "form-select form-select-sm", "data-picker": CODE_FIELDS[name]})
            form.fields[name] = forms.CharField(label=model_field.verbose_name, required=False, widget=widget)
            continue
        if name == "ie_flag":
            form.fields[name] = forms.ChoiceField(
                label=model_field.verbose_name, choices=[("", "---"), *IEFlag.choices], required=False,
                widget=forms.Select({"class": "form-select form-select-sm"}),
            )
            continue
        if name in ("code_ts", "ems_no", "trade_code", "ciq_code", "part_no"):
            attrs["class"] += " font-monospace"
        if name in PARTY:  # the 境内收发货人's name follows its code (ui.js)
            attrs.update({"data-party": "trade", "data-party-role": PARTY[name]})
        form.fields[name] = forms.CharField(
            label=model_field.verbose_name, required=False, strip=True, widget=forms.TextInput(attrs),
        )


class CommodityForm(forms.Form):
    required_fields = ("ie_flag", "code_ts", "g_name")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _fields(self, Commodity, COMMODITY_INPUT)


class BondedForm(forms.Form):
    required_fields = ("ems_no", "item_no", "code_ts", "g_name")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _fields(self, BondedItem, BONDED_INPUT)


def selected_options(form: forms.Form) -> None:
    """Pickers render the chosen code as their one option (the picker loads the rest)."""
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Select) and name in CODE_FIELDS:
            value = form[name].value() or ""
            field.widget.choices = [("", ""), *([(value, value)] if value else [])]
