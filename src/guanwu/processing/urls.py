from django.urls import path

from . import views, views_documents, views_grid, views_lists

app_name = "processing"
urlpatterns = [
    path("qualifications/", views_lists.qualification_list, name="qualification-list"),
    path("qualifications/new/", views.qualification_new, name="qualification-new"),
    path("qualifications/<int:pk>/", views.detail, {"doc": "qualification"}, name="qualification-detail"),
    path("qualifications/<int:pk>/send/", views.qualification_send, name="qualification-send"),
    path("qualifications/<int:pk>/declare/", views.qualification_declare, name="qualification-declare"),
    path("qualifications/<int:pk>/change/", views.qualification_change, name="qualification-change"),
    path("books/", views_lists.book_list, name="book-list"),
    path("books/new/", views.book_new, name="book-new"),
    path("books/<int:pk>/", views.detail, {"doc": "book"}, name="book-detail"),
    path("books/<int:pk>/send/", views.book_send, name="book-send"),
    path("books/<int:pk>/declare/", views.book_declare, name="book-declare"),
    path("books/<int:pk>/change/", views.book_change, name="book-change"),
    path("books/<int:pk>/delete/", views.book_delete, name="book-delete"),
    path("books/<int:pk>/lines/<str:kind>.json", views.book_lines, name="book-lines"),
    path("books/<int:pk>/writeoff/", views.book_writeoff, name="book-writeoff"),
    path("inventories/<str:ie>/", views_lists.inventory_list, name="inventory-list"),
    path("inventories/<str:ie>/new/", views.inventory_new, name="inventory-new"),
    path("inventory/<int:pk>/", views.detail, {"doc": "inventory"}, name="inventory-detail"),
    path("inventory/<int:pk>/send/", views.inventory_send, name="inventory-send"),
    path("inventory/<int:pk>/declare/", views.inventory_declare, name="inventory-declare"),
    path("inventory/<int:pk>/delete/", views.inventory_delete, name="inventory-delete"),
    path("writeoff/", views.writeoff_index, name="writeoff"),
    path("query/", views.query, name="query"),
    path("query/open/", views.query_open, name="query-open"),
    path("receipt/<str:kind>/<int:pk>/", views.receipt, name="receipt"),
    # the 随附单据 tab: <owner_key> is qualifications | books
    path("<str:owner_key>/<int:pk>/documents/upload/", views_documents.upload, name="document-upload"),
    path("<str:owner_key>/<int:pk>/documents/delete/", views_documents.delete, name="document-delete"),
    path("<str:owner_key>/<int:pk>/documents/<int:doc_id>/download/", views_documents.download,
         name="document-download"),
    # the body grids (ui/static/ui/grid.js): <target> is qualifications | books | inventories
    path("<str:target_key>/<int:pk>/rows/save/", views_grid.save_row, name="grid-save"),
    path("<str:target_key>/<int:pk>/rows/delete/", views_grid.delete_rows, name="grid-delete"),
    path("<str:target_key>/<int:pk>/rows/import/", views_grid.import_rows, name="grid-import"),
    path("<str:target_key>/<int:pk>/rows/template.xlsx", views_grid.template, name="grid-template"),
]
