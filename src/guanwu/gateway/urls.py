from django.urls import path

from . import views

app_name = "gateway"
urlpatterns = [
    path("errors/", views.GatewayErrorList.as_view(), name="errors"),
    path("errors/<int:pk>/", views.error_detail, name="error-detail"),
    path("errors/<int:pk>/resolve/", views.error_resolve, name="error-resolve"),
    path("errors/<int:pk>/retry/", views.error_retry, name="error-retry"),
]
