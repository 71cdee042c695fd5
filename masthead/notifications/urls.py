from __future__ import annotations

from django.urls import path

from masthead.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.my_subscriptions, name="subscriptions"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "subscriptions/<id:subscription_id>/delete/",
        views.delete_subscription,
        name="delete_subscription",
    ),
]
