from django.core.management.base import BaseCommand

from guanwu.core import demo
from guanwu.core.setup import ensure_ready


class Command(BaseCommand):
    help = "创建演示数据(幂等): 两家企业及其管理员、操作员"

    def handle(self, *args, **options):
        ensure_ready(self.stdout.write)
        demo.create_demo(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
        print_logins(self.stdout.write)


def print_logins(say) -> None:
    say(f"演示账号 (密码: {demo.demo_password()}):")
    for username, enterprise, role in demo.demo_logins():
        say(f"  {username:<12} {enterprise} {role}")
    say("  platform     平台管理员 (Django admin: /admin/)")
