"""Fixed code sets that several apps store, beside the code tables they belong with.

``IEFlag``: 进出口标志 (DecHead/IEFlag in the DecMessage field dictionary, 1 character):
``I`` 进口, ``E`` 出口 (《中华人民共和国海关进出口货物报关单填制规范》, 海关总署公告2019年第18号:
an import and an export declaration are separate forms). Declarations, the commodity library,
智能辅助申报 profiles and the customs simulator's manifests all carry it.
"""

from __future__ import annotations

from django.db import models


class IEFlag(models.TextChoices):
    IMPORT = "I", "进口"
    EXPORT = "E", "出口"
