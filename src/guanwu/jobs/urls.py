from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobList.as_view(), name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/errors.xlsx", views.error_file, name="error-file"),
]
