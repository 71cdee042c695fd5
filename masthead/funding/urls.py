from __future__ import annotations

from django.urls import path

from masthead.funding import views, webhooks

app_name = "funding"
urlpatterns = [
    path("stripe/webhook", webhooks.stripe_webhook, name="stripe_webhook"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("<slug:slug>/", views.donate, name="donate"),
]
