from __future__ import annotations

from django.urls import path, re_path

from masthead.discussion import views

app_name = "discussion"
urlpatterns = [
    path("t/<id:thread_id>/", views.thread_page, name="thread_page"),
    path("threads/<id:thread_id>/post/", views.post_form, name="post_form"),
    path("comments/<id:comment_id>/", views.permalink, name="permalink"),
    re_path(r"^avatars/(?P<seed>[0-9a-f]{16})\.svg$", views.avatar, name="avatar"),
]
