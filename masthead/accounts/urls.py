from __future__ import annotations

from django.urls import path

from masthead.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("login/", views.log_in, name="login"),
    path("logout/", views.log_out, name="logout"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
