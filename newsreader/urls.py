from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from articles.throttling import limit
from articles.views import account, accounts, preferences

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            template_name="registration/account_form.html",
            extra_context={"account_page": accounts.LOG_IN_PAGE},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", account.account, name="account"),
    path("accounts/email/<str:token>/", account.email_confirm, name="email_confirm"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Each request for a reset link sends an email: limited like sign-ups, per address.
    path(
        "accounts/password/reset/",
        limit("signup")(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("preferences/", preferences.preferences, name="preferences"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says; the icon itself is a static file.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("icons/favicon.ico")), name="favicon"),
    path("", include("articles.urls")),
]

# A database locked past its timeout answers 503 with Retry-After and the form sent back; other errors, 500.
handler500 = "articles.views.busy.server_error_or_busy"
