"""Pages of 规范申报企业专属库 (seed 002): 企业端授权确认, 企业库查询, 公共库查询, 企业信息, and the
platform staff's 海关审核数据 (customs side, seed section 3)."""

from django.urls import path

from . import views, views_lists

app_name = "standards"
urlpatterns = [
    path("", views.index, name="index"),
    path("authorisation/", views.authorisation, name="authorisation"),
    # 企业库查询 (5.2)
    path("library/", views_lists.LibraryList.as_view(), name="enterprise-library"),
    path("library/<int:pk>/elements/", views.library_elements, name="library-elements"),
    path("library/<int:pk>/own-choice/", views.library_own_choice, name="library-own-choice"),
    path("library/<int:pk>/visibility/", views.library_visibility, name="library-visibility"),
    # 公共库查询 (5.3)
    path("public/", views_lists.PublicList.as_view(), name="public-library"),
    path("public/<int:pk>/elements/", views.public_elements, name="public-elements"),
    # 企业信息 (5.4)
    path("messages/", views_lists.MessageList.as_view(), name="messages"),
    path("messages/<int:pk>/", views.message_detail, name="message-detail"),
    path("messages/<int:pk>/read/", views.message_read, name="message-read"),
    # 海关审核数据 (platform staff; seed 3)
    path("reviews/", views_lists.ReviewUploadList.as_view(), name="reviews"),
    path("reviews/template.xlsx", views.review_template, name="review-template"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/export.xlsx", views.review_export, name="review-export"),
]
