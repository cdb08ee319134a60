from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles.views import accounts, reading

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("preferences/", reading.preferences, name="preferences"),
    path("", include("articles.urls")),
]
