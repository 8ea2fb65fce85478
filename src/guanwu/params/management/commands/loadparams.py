import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guanwu.core.setup import params_loaded
from guanwu.params import loader


class Command(BaseCommand):
    help = "载入海关参数代码表和商品税则(幂等); 或用 --tariff 载入新版税则"

    def add_arguments(self, parser):
        parser.add_argument("--tariff", help="另一版税则文件 (与 params/data/tariff_2020.json.gz 同格式)")
        parser.add_argument("--effective-date", help="该版税则的生效日期 YYYY-MM-DD")
        parser.add_argument("--name", help="该版税则的名称")

    def handle(self, *args, **opts):
        if opts["tariff"]:
            if not opts["effective_date"]:
                raise CommandError("载入新版税则需要 --effective-date")
            try:
                effective = dt.date.fromisoformat(opts["effective_date"])
            except ValueError:
                raise CommandError("生效日期格式应为 YYYY-MM-DD") from None
            path = Path(opts["tariff"])
            if not path.exists():
                raise CommandError(f"文件不存在: {path}")
            version = loader.load_tariff(path, effective_date=effective, name=opts["name"], ciq_path=None)
            self.stdout.write(f"已载入 {version.name}, 生效日期 {version.effective_date}")
        else:
            loader.load_all(self.stdout.write)
        params_loaded(self.stdout.write)  # e.g. the suggester's index for the tariff in force
