from django.urls import path

from . import views

app_name = "tenancy"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("settings/", views.settings_view, name="settings"),
    path("members/", views.MemberList.as_view(), name="members"),
    path("members/add/", views.member_add, name="member-add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("members/<int:pk>/role/", views.member_role, name="member-role"),
    path("switch/", views.switch, name="switch"),
    path("choose/", views.choose, name="choose"),
    path("invitations/", views.my_invitations, name="invitations"),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation-accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation-decline"),
    path("members/invitations/", views.sent_invitations, name="sent-invitations"),
    path("members/invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation-cancel"),
]
