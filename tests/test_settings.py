"""Production settings from the environment, the Content-Security-Policy header, errors reaching the log."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

A_SECRET_KEY = "k" * 20 + "-production-secret-key-for-the-deploy-check-0123456789"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    # Not DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set and the deploy check refuses.
    environment = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "newsreader.settings",
        "DEBUG": "false",
        "SECRET_KEY": A_SECRET_KEY,
        **env,
    }
    return subprocess.run(
        [sys.executable, *code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SMTP = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}


def test_the_deploy_check_passes_when_served_over_https_with_email_sent_by_smtp():
    done = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], NEWSREADER_HTTPS="true", **SMTP
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deploy_check_warns_that_the_console_email_backend_writes_reset_links_to_the_log():
    done = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], NEWSREADER_HTTPS="true")
    assert done.returncode != 0
    assert "newsreader.W001" in done.stderr and "password-reset links are written to the server's log" in (
        done.stderr
    )
    plain = run_python(["manage.py", "check"], NEWSREADER_HTTPS="true")  # only the deploy check says so
    assert plain.returncode == 0 and "W001" not in plain.stderr


def test_the_web_process_says_at_start_up_where_reset_links_go():
    code = ["-c", "import newsreader.wsgi"]
    console = run_python(code)
    assert "WARNING newsreader: EMAIL_BACKEND is the console backend" in console.stderr
    assert "EMAIL_BACKEND" not in run_python(code, **SMTP).stderr


def test_the_deploy_check_names_what_https_would_fix_when_it_is_off():
    done = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], NEWSREADER_HTTPS="false")
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_https_and_proxy_switches_set_djangos_security_settings():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)"
    )
    on = run_python(["-c", code], NEWSREADER_HTTPS="true", NEWSREADER_BEHIND_PROXY="true")
    assert on.stdout.split(maxsplit=6) == [
        "True",
        "True",
        "True",
        "31536000",
        "False",
        "False",
        "('HTTP_X_FORWARDED_PROTO', 'https')\n",
    ], on.stderr
    off = run_python(["-c", code], NEWSREADER_HTTPS="false", NEWSREADER_BEHIND_PROXY="false")
    assert off.stdout.split() == ["False", "False", "False", "0", "False", "False", "None"], off.stderr


def test_a_server_error_is_logged_with_its_traceback_to_stderr_and_answered_with_a_page():
    # The view is swapped for one that fails before the URLs are loaded; no database is touched.
    code = (
        "import django; django.setup()\n"
        "from articles.views import library\n"
        "def failing(request): raise RuntimeError('the view broke')\n"
        "library.who_is_quoted = failing\n"
        "from django.test import Client\n"
        "response = Client(raise_request_exception=False).get('/who-is-quoted/')\n"
        "print(response.status_code)\n"
        "print(response.content.decode())\n"
    )
    done = run_python(
        ["-c", code], ALLOWED_HOSTS="testserver", DATABASE_URL="sqlite:////nonexistent/no.sqlite3"
    )
    status, _, page = done.stdout.partition("\n")
    assert status == "500", done.stderr
    assert "Something went wrong" in page and 'class="site-header"' in page
    assert "ERROR django.request: Internal Server Error: /who-is-quoted/" in done.stderr
    assert (
        "Traceback (most recent call last)" in done.stderr and "RuntimeError: the view broke" in done.stderr
    )


def test_every_page_carries_the_content_security_policy(client, article):
    for url in (reverse("articles:list"), article.get_absolute_url(), reverse("login"), "/no/such/page/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'" and directives["form-action"] == "'self'"
        assert directives["img-src"] == "'self' data:"


def test_with_a_database_server_the_secret_key_must_come_from_the_environment():
    # Several hosts share a database server; a key generated on each would break sessions and forms between them.
    code = ["-c", "import django; django.setup(); print('started')"]
    server = "postgres://newsreader@127.0.0.1:9/newsreader"  # never connected to: settings only
    refused = run_python(code, DATABASE_URL=server, SECRET_KEY="")
    assert refused.returncode != 0 and "Set SECRET_KEY in the environment" in refused.stderr
    assert run_python(code, DATABASE_URL=server).stdout == "started\n"
    assert run_python(code, DATABASE_URL=server, SECRET_KEY="", DEBUG="true").stdout == "started\n"
    # The embedded default keeps its generated key: `make run` needs nothing set.
    assert (
        run_python(code, SECRET_KEY="", DATABASE_URL="sqlite:////nonexistent/no.sqlite3").stdout
        == "started\n"
    )
