"""Forms only shape input; the rules (codes, ranges, uniqueness, roles) live in services, which
report every error of a submit at once."""

from __future__ import annotations

from typing import Any

from django import forms

from guanwu.params.enums import IEFlag

from .models import EnterpriseType, Profile, ProfileScope
from .services.profiles import WAIT_MAX, WAIT_MIN, members

_INPUT = {"class": "form-control form-control-sm"}
_CHECK = {"class": "form-check-input"}

# The seed's explanations of the options, shown beside each checkbox.
OPTION_HELP = {
    "auto_confirm": "勾选后则认定您委托本系统对温馨提示内容进行辅助确认, 不勾选则由您对温馨提示内容进行手动确认。",
    "auto_agreement": "勾选后则认定您委托本系统对代理报关委托协议进行自动生成, 不勾选则由您进行手动生成。",
    "manifest_required": "勾选后查询到对应舱单数据将报关单申报发送至海关, 不勾选则不关联查询舱单数据。",
    "arrival_required": "勾选后查询关联运抵报告是否已运抵, 若运抵则将报关单申报发送至海关, "
                        "未运抵直到运抵后再申报报关单。",
    "compare_required": "勾选后会将报关单数据与舱单数据比对, 一致后再将报关单申报发送至海关。",
    "batch_wait_seconds": "可设置智能辅助申报执行一批次报关单的等待时间。",
}
SCOPE_HELP = {
    ProfileScope.ENTERPRISE: "根据配置的企业信息匹配智能辅助申报单据的申报单位/收发货单位信息, "
                             "匹配成功则按该配置规则执行报关单申报。",
    ProfileScope.USER: "根据配置的用户信息匹配智能辅助申报单据里打标记的用户信息, "
                       "匹配成功则按该配置规则执行报关单申报。",
}
OPTIONS = ("auto_confirm", "auto_agreement", "manifest_required", "arrival_required", "compare_required")


class ProfileForm(forms.Form):
    name = forms.CharField(label="配置名称", required=False,
                           widget=forms.TextInput({**_INPUT, "autofocus": True, "maxlength": 60}))
    enabled = forms.TypedChoiceField(
        label="启用标志", choices=[("1", "启用"), ("0", "停用")], coerce=lambda v: v == "1", initial="1",
        widget=forms.RadioSelect({"class": "form-check-input"}),
    )
    ie_flag = forms.ChoiceField(label="进出口标志", choices=IEFlag.choices, required=False,
                                widget=forms.RadioSelect({"class": "form-check-input"}))
    scope = forms.ChoiceField(label="生效方式", choices=ProfileScope.choices, initial=ProfileScope.ENTERPRISE,
                              widget=forms.RadioSelect({"class": "form-check-input"}))
    agent_code = forms.CharField(label="申报单位", required=False, widget=forms.TextInput(
        {**_INPUT, "class": _INPUT["class"] + " font-monospace text-uppercase", "maxlength": 18,
         "placeholder": "海关10位编码或18位社会信用代码"}))
    trade_code = forms.CharField(label="境内收发货人", required=False, widget=forms.TextInput(
        {**_INPUT, "class": _INPUT["class"] + " font-monospace text-uppercase", "maxlength": 18,
         "placeholder": "海关10位编码或18位社会信用代码"}))
    user_ids = forms.TypedMultipleChoiceField(label="生效用户", coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}))
    auto_confirm = forms.BooleanField(label="辅助确认", required=False, widget=forms.CheckboxInput(_CHECK))
    auto_agreement = forms.BooleanField(label="自动生成代理报关委托协议", required=False,
                                        widget=forms.CheckboxInput(_CHECK))
    manifest_required = forms.BooleanField(label="有舱单申报", required=False, widget=forms.CheckboxInput(_CHECK))
    arrival_required = forms.BooleanField(label="运抵后申报", required=False, widget=forms.CheckboxInput(_CHECK))
    compare_required = forms.BooleanField(label="比对后申报", required=False, widget=forms.CheckboxInput(_CHECK))
    # Text: the service checks the number and its range together with every other field, so one
    # submit shows every error (a form error here would hide the services' until the next submit).
    batch_wait_seconds = forms.CharField(
        label="统计时配置", initial=60, required=False,
        widget=forms.NumberInput({**_INPUT, "style": "width: 7em", "min": WAIT_MIN, "max": WAIT_MAX}),
    )

    def __init__(self, *args: Any, enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_ids"].choices = [
            (u.pk, f"{u.get_full_name() or u.get_username()} ({u.get_username()})") for u in members(enterprise)
        ]

    @classmethod
    def for_profile(cls, profile: Profile, data=None) -> ProfileForm:
        initial = {name: getattr(profile, name) for name in (
            "name", "ie_flag", "scope", "agent_code", "trade_code", *OPTIONS, "batch_wait_seconds")}
        initial["enabled"] = "1" if profile.enabled else "0"
        initial["user_ids"] = [u.pk for u in profile.users.all()]
        return cls(data, initial=initial, enterprise=profile.enterprise)

    def payload(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["user_ids"] = list(data.get("user_ids") or [])
        return data

    def options(self):
        return [(self[name], OPTION_HELP[name]) for name in OPTIONS]


class EnableForm(forms.Form):
    accept_notice = forms.BooleanField(label="我已阅读并同意《用户须知》", required=False,
                                       widget=forms.CheckboxInput(_CHECK))
    accept_promise = forms.BooleanField(label="我已阅读并同意《企业承诺》", required=False,
                                        widget=forms.CheckboxInput(_CHECK))


class RunForm(forms.Form):
    enterprise_type = forms.ChoiceField(label="生效企业类型", choices=EnterpriseType.choices,
                                        initial=EnterpriseType.AGENT,
                                        widget=forms.RadioSelect({"class": "form-check-input"}))
    profile_ids = forms.TypedMultipleChoiceField(label="预配置规则", coerce=int, required=False,
                                                 widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}))

    def __init__(self, *args: Any, profiles, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile_ids"].choices = [(p.pk, p.name) for p in profiles]


class NotificationSettingsForm(forms.Form):
    """回执推送设置: e-mail and webhook, and which event goes to which channel."""

    email_enabled = forms.BooleanField(label="发送邮件", required=False, widget=forms.CheckboxInput(_CHECK))
    email_to = forms.CharField(label="收件人", max_length=500, required=False, widget=forms.TextInput(
        {**_INPUT, "placeholder": "多个地址用逗号分隔; 不填则发送到企业信息中的 E-MAIL"}))
    webhook_enabled = forms.BooleanField(label="推送 Webhook", required=False, widget=forms.CheckboxInput(_CHECK))
    webhook_url = forms.CharField(label="Webhook 地址", max_length=500, required=False, widget=forms.URLInput(
        {**_INPUT, "placeholder": "https://erp.example.com/guanwu/receipts"}))

    def __init__(self, *args: Any, row, **kwargs: Any) -> None:
        from .models import CHANNELS, NotifyEvent

        kwargs.setdefault("initial", {"email_enabled": row.email_enabled, "email_to": row.email_to,
                                      "webhook_enabled": row.webhook_enabled, "webhook_url": row.webhook_url})
        super().__init__(*args, **kwargs)
        self.matrix_names = []
        for event in NotifyEvent.values:
            for channel in CHANNELS:
                name = f"{event}__{channel}"
                self.fields[name] = forms.BooleanField(required=False, initial=row.wants(event, channel),
                                                       widget=forms.CheckboxInput(_CHECK))
                self.matrix_names.append(name)

    def payload(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in ("email_enabled", "email_to", "webhook_enabled", "webhook_url")}
        events: dict[str, dict[str, bool]] = {}
        for name in self.matrix_names:
            event, channel = name.split("__")
            events.setdefault(event, {})[channel] = bool(self.cleaned_data.get(name))
        data["events"] = events
        return data

    def matrix(self):
        from .models import CHANNELS, NotifyEvent

        return [(NotifyEvent(e).label, [self[f"{e}__{c}"] for c in CHANNELS]) for e in NotifyEvent.values]
