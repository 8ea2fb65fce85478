from django.urls import path

from . import views

app_name = "params"
urlpatterns = [
    path("tariff/", views.tariff, name="tariff"),
    path("tables/", views.tables, name="tables"),
    path("tables/<slug:slug>/", views.table_entries, name="table"),
]
