"""Django settings, configured from the environment.

Embedded defaults (SQLite, SqliteHuey, local files) need no configuration; production sets
DATABASE_URL, REDIS_URL, storage variables, SECRET_KEY and ALLOWED_HOSTS. See README.md and
docs/deployment.md.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
TESTING = "pytest" in sys.modules or os.environ.get("GUANWU_TESTING") == "1"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


if os.environ.get("GUANWU_DATA_DIR"):
    DATA_DIR = Path(os.environ["GUANWU_DATA_DIR"]).resolve()
elif TESTING:
    DATA_DIR = Path(tempfile.mkdtemp(prefix="guanwu-test-"))
else:
    DATA_DIR = Path("var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
# Production mode = DEBUG off and a real ALLOWED_HOSTS given; the embedded default answers
# on any host because it is meant to run on a workstation.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
PRODUCTION = env_bool("GUANWU_PRODUCTION", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "guanwu.core",
    "guanwu.ui",
    "guanwu.tenancy",
    "guanwu.audit",
    "guanwu.params",
    "guanwu.jobs",
    "guanwu.imports",
    "guanwu.accounts",
    "guanwu.declarations",
    "guanwu.gateway",
    "guanwu.simulator",
    "guanwu.datacenter.commodities",
    "guanwu.datacenter.customers",
    "guanwu.datacenter.licences",
    "guanwu.datacenter.bizdocs",
    "guanwu.datacenter.qualifications",
    "guanwu.autodeclare",
    "guanwu.classify",
    "guanwu.standards",
    "guanwu.crossborder",
    # after crossborder: demo steps run in this order and processing leaves a book 变更 pending with
    # customs, which a later step's simulator rounds would answer
    "guanwu.processing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "guanwu.apikit.errors.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "guanwu.tenancy.middleware.CurrentEnterpriseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "guanwu.ui.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "guanwu.urls"
WSGI_APPLICATION = "guanwu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guanwu.ui.context_processors.shell",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "guanwu.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
            "PRAGMA cache_size=-64000;PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's rules with Chinese messages (guanwu/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "guanwu.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "guanwu.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "guanwu.accounts.passwords.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The HS-code suggester's index kept on disk (``guanwu.classify.stored``): a process loads it
# instead of building it, and processes starting together build it once. Tests share one
# directory outside their per-process data directories (the file is named by what it was built
# from and by the code that built it, so a stale one is never read), one per checkout: writing an
# index removes the older ones beside it, so two checkouts testing at once (a clean-clone CI run,
# ``make mutate``'s copy in mutants/) must not share it.
CLASSIFY_INDEX_CACHE = env_bool("GUANWU_CLASSIFY_INDEX_CACHE", True)
_CHECKOUT = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
CLASSIFY_INDEX_DIR = Path(
    os.environ.get("GUANWU_CLASSIFY_INDEX_DIR")
    or (Path(tempfile.gettempdir()) / f"guanwu-test-classify-{_CHECKOUT}" if TESTING else DATA_DIR / "classify")
).resolve()

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# Storage: local files by default; S3-compatible when GUANWU_S3_BUCKET is set.
if os.environ.get("GUANWU_S3_BUCKET"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["GUANWU_S3_BUCKET"],
            "endpoint_url": os.environ.get("GUANWU_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("GUANWU_S3_REGION") or None,
            "access_key": os.environ.get("GUANWU_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("GUANWU_S3_SECRET_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
SESSION_COOKIE_AGE = 12 * 3600

# Background work: RedisHuey when REDIS_URL is set, SqliteHuey otherwise; immediate in tests
# unless a test opts into a real queue.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("GUANWU_QUEUE_NAME", "guanwu") + os.environ.get("PYTEST_XDIST_WORKER", ""),
        "url": REDIS_URL,
        "immediate": TESTING and not env_bool("GUANWU_REAL_QUEUE"),
        "utc": True,
        "consumer": {"workers": int(os.environ.get("GUANWU_WORKERS", "2")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "guanwu",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": TESTING and not env_bool("GUANWU_REAL_QUEUE"),
        "utc": True,
        "consumer": {"workers": int(os.environ.get("GUANWU_WORKERS", "2")), "worker_type": "thread"},
    }

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "guanwu@localhost")
# The address users reach the platform at: links in e-mails and webhooks are made absolute with it.
GUANWU_SITE_URL = os.environ.get("GUANWU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security settings turned on in production mode.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("GUANWU_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("GUANWU_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
# Content-Security-Policy: every asset is vendored, so nothing outside 'self' is needed.
# Alpine.js evaluates expressions, hence 'unsafe-eval' for scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'"
)

# Upload limits (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
GUANWU_IMPORT_MAX_BYTES = int(os.environ.get("GUANWU_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
GUANWU_DOCUMENT_MAX_BYTES = int(os.environ.get("GUANWU_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
if os.environ.get("GUANWU_CUSTOMER_REGISTRY_CHECK"):
    GUANWU_CUSTOMER_REGISTRY_CHECK = os.environ["GUANWU_CUSTOMER_REGISTRY_CHECK"]

# Login throttling: after GUANWU_LOGIN_MAX_FAILURES failures for a username from one client
# address, or GUANWU_LOGIN_MAX_FAILURES_PER_USER from any address, within the window, further
# attempts for that username are refused (429 with Retry-After) until the window passes.
GUANWU_LOGIN_MAX_FAILURES = int(os.environ.get("GUANWU_LOGIN_MAX_FAILURES", "5"))
GUANWU_LOGIN_MAX_FAILURES_PER_USER = int(os.environ.get("GUANWU_LOGIN_MAX_FAILURES_PER_USER", "20"))
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# the client address for throttling is taken from that header only when REMOTE_ADDR is one of them.
GUANWU_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GUANWU_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in GUANWU_TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo stops the start, not every login
GUANWU_LOGIN_WINDOW_SECONDS = int(os.environ.get("GUANWU_LOGIN_WINDOW_SECONDS", "900"))
GUANWU_API_TOKEN_TTL_HOURS = int(os.environ.get("GUANWU_API_TOKEN_TTL_HOURS", "720"))

GUANWU_DEMO_PASSWORD = os.environ.get("GUANWU_DEMO_PASSWORD", "guanwu-demo")

# Gateway (file exchange with the single window client): outbox/ inbox/ sent/ done/ failed/.
GATEWAY_DIR = Path(os.environ["GUANWU_GATEWAY_DIR"]).resolve() if os.environ.get("GUANWU_GATEWAY_DIR") else (
    DATA_DIR / "gateway"
)
GUANWU_GATEWAY_POLL_SECONDS = float(os.environ.get("GUANWU_GATEWAY_POLL_SECONDS", "2"))
# Customs simulator: seconds between receipts, inspection and random rejection rates (0..1), seed.
GUANWU_SIMULATOR_DELAY_SECONDS = float(os.environ.get("GUANWU_SIMULATOR_DELAY_SECONDS", "0" if TESTING else "3"))
GUANWU_SIMULATOR_INSPECTION_RATE = float(
    os.environ.get("GUANWU_SIMULATOR_INSPECTION_RATE", "0" if TESTING else "0.2")
)
GUANWU_SIMULATOR_REJECTION_RATE = float(
    os.environ.get("GUANWU_SIMULATOR_REJECTION_RATE", "0" if TESTING else "0.05")
)
GUANWU_SIMULATOR_SEED = os.environ.get("GUANWU_SIMULATOR_SEED", "guanwu")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "huey": {"level": "WARNING"}},
}
