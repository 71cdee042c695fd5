"""Public moderation URLs (mounted at /moderation/): the one-click links from moderator emails."""

from __future__ import annotations

from django.urls import path

from masthead.moderation import views

app_name = "moderation"
urlpatterns = [
    path("act/<str:token>/", views.one_click_view, name="one_click"),
]
