"""Forms only shape input; the rules (codes, check digits, uniqueness, roles) live in services."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from .models import BUSINESS_SETTINGS, MANAGED_SETTINGS, Enterprise, Role
from .services import PROFILE_FIELDS

_INPUT = {"class": "form-control form-control-sm"}


class MemberAddForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput({**_INPUT, "autofocus": True}))
    full_name = forms.CharField(label="姓名", max_length=150, required=False, widget=forms.TextInput(_INPUT))
    role = forms.ChoiceField(
        label="角色", choices=Role.choices, initial=Role.OPERATOR,
        widget=forms.Select({"class": "form-select form-select-sm"}),
    )
    password = forms.CharField(
        label="初始密码", required=False,
        help_text="填写: 创建新账号并加入本企业。不填: 邀请已有账号, 对方登录后接受邀请才加入",
        widget=forms.PasswordInput({**_INPUT, "autocomplete": "new-password"}),
    )


class ProfileForm(forms.Form):
    """Fields of ``PROFILE_FIELDS`` with the model's labels; validation is the service's."""

    marked_required = ("name", "customs_code", "scc")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            model_field = Enterprise._meta.get_field(name)
            attrs = dict(_INPUT)
            if name in {"customs_code", "scc", "ciq_code"}:
                attrs["class"] += " font-monospace text-uppercase"
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name, required=False, strip=True, widget=forms.TextInput(attrs)
            )

    @classmethod
    def for_enterprise(cls, enterprise: Enterprise, data=None) -> ProfileForm:
        return cls(data, initial={name: getattr(enterprise, name) for name in PROFILE_FIELDS})


def boolean_settings() -> list[tuple[str, str]]:
    return [(key, label) for key, (default, label) in BUSINESS_SETTINGS.items() if isinstance(default, bool)]


class SettingsForm(forms.Form):
    """The boolean business settings; those a module's own page manages are shown, read-only,
    with a link to that page (``managed``: field name -> (URL, how))."""

    def __init__(self, *args, enterprise: Enterprise, disabled: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.managed: dict[str, tuple[str, str]] = {}
        for key, label in boolean_settings():
            managed = MANAGED_SETTINGS.get(key)
            self.fields[key] = forms.BooleanField(
                label=label, required=False, initial=enterprise.setting(key), disabled=disabled or bool(managed),
                widget=forms.CheckboxInput({"class": "form-check-input"}),
            )
            if managed:
                self.managed[key] = (reverse(managed[0]), managed[1])

    def rows(self):
        return [(field, self.managed.get(field.name)) for field in self]
