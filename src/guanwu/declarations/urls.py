from django.urls import path

from . import views

app_name = "declarations"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.create, name="create"),
    path("import/", views.import_page, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/print.pdf", views.print_pdf, name="print-pdf"),
    path("<int:pk>/template.xlsx", views.template_export, name="template-export"),
]
