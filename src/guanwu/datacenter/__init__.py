"""资料中心: the data center, one Django app per area so each keeps small models and migrations.

- ``commodities``: 商品数据库 (learned from declarations) and 保税商品库
- ``customers``: 客户管理 with the approval workflow
- ``licences``: 许可证管理 and 证书管理
- ``bizdocs``: 业务单据管理 (original documents of declarations)

All pages share the URL namespace ``datacenter`` (``datacenter/urls.py``) and the API routers
are mounted by ``datacenter/api.py``.
"""
