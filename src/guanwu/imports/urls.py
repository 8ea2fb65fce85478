from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("<slug:key>/", views.upload, name="upload"),
    path("<slug:key>/template.xlsx", views.template, name="template"),
]
