"""System checks of newsreader's own settings (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
CONSOLE_EMAIL_MESSAGE = (
    "EMAIL_BACKEND is the console backend: password-reset links are written to the server's log, so anyone "
    "who can read the log can take over any account with an email address."
)


def email_goes_to_the_log() -> bool:
    return settings.EMAIL_BACKEND == CONSOLE_EMAIL_BACKEND


@checks.register(checks.Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not email_goes_to_the_log():
        return []
    return [
        checks.Warning(
            CONSOLE_EMAIL_MESSAGE,
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST (and "
            "EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) in the environment.",
            id="newsreader.W001",
        )
    ]
