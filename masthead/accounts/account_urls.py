"""/account/: the reader's page and their data (mounted by masthead/urls.py)."""

from __future__ import annotations

from django.urls import path

from masthead.accounts import account_page, privacy_views

app_name = "account"
urlpatterns = [
    path("", account_page.account, name="home"),
    path("profile/", account_page.save_profile, name="profile"),
    path("supporter/", account_page.supporter_badge, name="supporter"),
    path("claim/", account_page.claim, name="claim"),
    path("export/", account_page.export, name="export"),
    path("delete/", account_page.delete, name="delete"),
    path("delete/<str:token>/", account_page.delete_confirm, name="delete_confirm"),
    path("privacy/", privacy_views.request_link, name="privacy"),
    path("privacy/<str:token>/", privacy_views.link, name="privacy_link"),
]
