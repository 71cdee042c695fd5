from __future__ import annotations

from django.urls import path

from masthead.embed import views

app_name = "embed"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("example/", views.example, name="example"),
    path("discussion/", views.discussion_for_url, name="discussion_for_url"),
]
