"""`guanwu classify_index`: build the HS-code suggester's index for the tariff in force and keep
it on disk (``classify.stored``), or find it there already.

`guanwu serve` runs it once at start-up beside the web server, so that the training (about a
minute and ~650 MB at its peak) happens in a process of its own that then exits: the web
workers wait for the file and load it (``classify.warmup``). `guanwu loadparams` builds it too,
after loading code tables or a tariff version."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "建立智能归类 (HS 编码建议) 索引并保存到数据目录; 已有则直接载入"

    def handle(self, *args, **opts):
        from guanwu.classify import knowledge

        if knowledge.warm(self.stdout.write) is None:
            raise CommandError("尚未载入商品税则: 请先运行 guanwu loadparams")
