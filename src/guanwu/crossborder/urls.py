"""Pages of 跨境电商B2B出口 (seed 003): orders, booking orders, lists, summaries, batches, settings."""

from django.urls import path

from . import views, views_lists, views_settings

app_name = "crossborder"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("batch-no/", views.batch_no_proposal, name="batch-no"),
    # 9710 出口订单管理 / 9810 出口订仓单管理: 导入订单, 订单申报, 订单查询
    path("orders/9710/import/", views.order_import, {"kind": "9710"}, name="order-9710-import"),
    path("orders/9710/declare/", views_lists.Order9710Declare.as_view(), name="order-9710-declare"),
    path("orders/9710/", views_lists.Order9710Query.as_view(), name="order-9710-list"),
    path("orders/9810/import/", views.order_import, {"kind": "9810"}, name="order-9810-import"),
    path("orders/9810/declare/", views_lists.Order9810Declare.as_view(), name="order-9810-declare"),
    path("orders/9810/", views_lists.Order9810Query.as_view(), name="order-9810-list"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/message.xml", views.message, {"kind": "orders"}, name="order-message"),
    # 出口清单管理: 清单导入, 清单申报, 清单查询
    path("lists/import/", views.list_import, name="list-import"),
    path("lists/declare/", views_lists.ListDeclare.as_view(), name="list-declare"),
    path("lists/", views_lists.ListQuery.as_view(), name="list-list"),
    path("lists/<int:pk>/", views.list_detail, name="list-detail"),
    path("lists/<int:pk>/message.xml", views.message, {"kind": "lists"}, name="list-message"),
    # 汇总申请单: 导入, 查询
    path("summaries/import/", views.summary_import, name="summary-import"),
    path("summaries/", views_lists.SummaryQuery.as_view(), name="summary-list"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary-detail"),
    path("summaries/<int:pk>/submit/", views.summary_submit, name="summary-submit"),
    path("summaries/<int:pk>/declaration/", views.summary_declaration, name="summary-declaration"),
    path("summaries/<int:pk>/message.xml", views.message, {"kind": "summaries"}, name="summary-message"),
    # 设置: 企业简码, 物流简码
    path("settings/", views_settings.settings_page, name="settings"),
    path("settings/logistics/", views_settings.LogisticsList.as_view(), name="logistics-list"),
    path("settings/logistics/new/", views_settings.logistics_edit, name="logistics-create"),
    path("settings/logistics/<int:pk>/", views_settings.logistics_edit, name="logistics-edit"),
    path("settings/logistics/<int:pk>/delete/", views_settings.logistics_delete, name="logistics-delete"),
]
