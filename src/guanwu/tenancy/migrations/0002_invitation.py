import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tenancy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Invitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("username", models.CharField(max_length=150, verbose_name="用户名")),
                ("role", models.CharField(choices=[("admin", "企业管理员"), ("operator", "操作员")], default="operator",
                                          max_length=16, verbose_name="角色")),
                ("status", models.CharField(choices=[("pending", "待接受"), ("accepted", "已接受"), ("declined", "已拒绝"),
                                                     ("cancelled", "已撤回")], db_index=True, default="pending",
                                            max_length=16, verbose_name="状态")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="邀请时间")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="处理时间")),
                ("enterprise", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="invitations",
                                                 to="tenancy.enterprise", verbose_name="邀请企业")),
                ("invited_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="邀请人")),
                ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                           related_name="invitations", to=settings.AUTH_USER_MODEL,
                                           verbose_name="被邀请用户")),
            ],
            options={
                "verbose_name": "成员邀请",
                "verbose_name_plural": "成员邀请",
                "ordering": ["-created_at", "-id"],
                "constraints": [models.UniqueConstraint(condition=models.Q(("status", "pending")),
                                                        fields=("enterprise", "username"),
                                                        name="uniq_pending_invitation")],
            },
        ),
    ]
