"""Admin URLs of moderation, mounted under /admin/moderation/ by wagtail_hooks."""

from __future__ import annotations

from django.urls import path

from masthead.moderation import views

app_name = "moderation_admin"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("queue/<slug:tab>/", views.queue_view, name="queue_tab"),
    path("act/", views.act_view, name="act"),
    path("audit/", views.audit_view, name="audit"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<id:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
]
