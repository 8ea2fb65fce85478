"""Password rules with Chinese messages (Django's own catalogue leaves some of them English),
and the revocation of a user's API tokens when the password changes."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短, 至少需要 {self.min_length} 个字符", code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符"


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def validate(self, password: str, user=None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError("这个密码太常见, 请换一个", code="password_too_common")

    def get_help_text(self) -> str:
        return "不能是常见密码"


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def validate(self, password: str, user=None) -> None:
        if password.isdigit():
            raise ValidationError("密码不能全为数字", code="password_entirely_numeric")

    def get_help_text(self) -> str:
        return "不能全为数字"


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def validate(self, password: str, user=None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("密码与用户名或姓名过于相似", code="password_too_similar") from None

    def get_help_text(self) -> str:
        return "不能与用户名或姓名过于相似"


def revoke_tokens_on_password_change(sender, instance, created: bool, **kwargs) -> None:
    """post_save of the user model: ``_password`` is what ``set_password`` was given, kept
    until the save (Django clears it there; a hash upgrade on login clears it before saving),
    so only a real password change revokes the tokens."""
    if created or getattr(instance, "_password", None) is None:
        return
    from .services import revoke_tokens

    revoke_tokens(instance, reason="密码已修改")
