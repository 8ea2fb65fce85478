from django.urls import path

from . import views

app_name = "autodeclare"
urlpatterns = [
    path("", views.enable_page, name="enable"),
    path("disable/", views.disable_view, name="disable"),
    path("profiles/", views.ProfileList.as_view(), name="profile-list"),
    path("profiles/new/", views.profile_create, name="profile-create"),
    path("profiles/<int:pk>/", views.profile_edit, name="profile-edit"),
    path("profiles/<int:pk>/delete/", views.profile_delete, name="profile-delete"),
    path("marks/", views.MarkList.as_view(), name="marks"),
    path("marks/cancel/", views.unmark_view, name="unmark"),
    path("run/", views.RunList.as_view(), name="run"),
    path("run/panel/", views.run_panel, name="run-panel"),
    path("run/<int:pk>/stop/", views.run_stop, name="run-stop"),
    path("query/", views.QueryList.as_view(), name="query"),
    path("query/<int:pk>/", views.records_by_auto, name="records-by-auto"),
    path("requeue/", views.requeue_view, name="requeue"),
    path("records/<int:pk>/", views.records, name="records"),
    path("desk/", views.DeskList.as_view(), name="desk"),
    path("desk/<int:pk>/", views.desk_batch, name="desk-batch"),
    path("tax/", views.TaxList.as_view(), name="tax-list"),
    path("tax/<int:pk>/", views.tax_detail, name="tax-detail"),
    path("agreements/<int:pk>/", views.agreement_view, name="agreement"),
    path("agreements/<int:pk>/generate/", views.agreement_generate, name="agreement-generate"),
    path("notifications/", views.NotificationList.as_view(), name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("notifications/deliveries/", views.DeliveryList.as_view(), name="deliveries"),
    path("notifications/deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
]
