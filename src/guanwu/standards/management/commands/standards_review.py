"""`guanwu standards_review [--month YYYY-MM] [--rate 0.3] [--force]`: the simulator's monthly
规范申报 review on demand (the periodic task runs it for the previous month on the 1st)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from guanwu.core.errors import ServiceError
from guanwu.standards.services import monthly


class Command(BaseCommand):
    help = "模拟海关规范申报月度审核: 抽样审核该月放行报关单的商品项, 发布审核数据并推送企业消息"

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="审核月份 YYYY-MM (默认上个月)")
        parser.add_argument("--rate", type=float, default=monthly.DEFAULT_RATE, help="抽样比例 (0-1, 默认 0.3)")
        parser.add_argument("--force", action="store_true", help="该月已发布时仍再审核一次")

    def handle(self, *args, month: str, rate: float, force: bool, **options):
        period = month or monthly.previous_month()
        try:
            upload = monthly.review_month(period, rate=rate, force=force)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        if upload is None:
            self.stdout.write(f"{period}: 没有抽到放行的报关单商品项, 未发布审核数据")
            return
        self.stdout.write(f"{period}: 审核 {upload.row_count} 项 (规范 {upload.standard_count}, "
                          f"不规范 {upload.nonstandard_count}), 推送企业消息 {upload.messages.count()} 条")
