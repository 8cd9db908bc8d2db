"""Configuration: defaults, then instance/config.py, then HUB_* environment variables.

`create_app(config)` applies an explicit mapping last (tests use it).
"""
import os
import secrets
from pathlib import Path


class Defaults:
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance path when unset
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = None
    HUB_NAME = "Jejaring KIM"
    HUB_KABUPATEN = "Lima Puluh Kota"
    HUB_TIMEZONE = "Asia/Jakarta"
    HUB_ALLOW_PRIVATE_FEEDS = False
    # Login throttle (per account and address, hub.accounts.throttle): this many wrong passwords
    # cost nothing, then each one doubles the wait before the next try, up to the maximum.
    HUB_LOGIN_FREE_TRIES = 5
    HUB_LOGIN_FIRST_DELAY_SECONDS = 1
    HUB_LOGIN_MAX_DELAY_SECONDS = 900
    # Rate limits (Flask-Limiter, hub.web.limits): per token, else per logged-in person, else per
    # address. Memory storage (per process) unless HUB_RATELIMIT_STORAGE_URL names a Redis.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    HUB_RATELIMIT_LOGIN = "60 per minute"  # logging in and asking for a token, per address
    HUB_RATELIMIT_WRITES = "120 per minute"  # every POST/PUT/PATCH/DELETE, per route and per key
    HUB_RATELIMIT_PREFIX = "hub"  # names the counters in a shared store (several hubs, one Redis)
    # werkzeug's scrypt parameters; tests lower the cost, production keeps the default.
    HUB_PASSWORD_METHOD = "scrypt"
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    HUB_LANGUAGES = ("id", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # room for the most photos a form takes (6, of 8 MB each) and its other fields: a photo over
    # its own cap is refused by the form, beside its field, with everything else kept
    MAX_CONTENT_LENGTH = 50 * 1024 * 1024
    HUB_PAGE_SIZE = 50
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                          "application/rss+xml", "application/atom+xml", "application/feed+json", "text/x-opml",
                          "image/svg+xml", "text/xml", "application/xml"]
    HUB_USER_AGENT = "JejaringKIM/0.1 (feed aggregator of a Kelompok Informasi Masyarakat hub)"
    HUB_FETCH_TIMEOUT = 30  # seconds a whole fetch may take, wall clock: connect, headers, body
    HUB_INPROCESS_WORKER = False  # `make run` refreshes feeds inside the web process
    HUB_DEMO_FEEDS = False  # serve the demo network's own feeds under /demo/feeds/
    HUB_DEMO_BASE_URL = "http://127.0.0.1:5000/"  # where the demo's sources find those feeds
    HUB_BASE_URL = ""  # public address, e.g. https://kim.limapuluhkotakab.go.id/ (else taken from the request)
    HUB_TRUSTED_PROXIES = 0  # reverse proxies in front of the hub that set X-Forwarded-*
    HUB_TOKEN_DAYS = 90  # API tokens expire after this many days unless asked otherwise (1..365)
    HUB_SMTP_URL = ""  # smtp://user:password@host:587?starttls=1 or smtps://...: e-mail digests of notifications
    HUB_MAIL_FROM = "Jejaring KIM <noreply@localhost>"
    HUB_ASPIRATION_MIN_SECONDS = 3  # a public aspiration form sent back faster than this is a robot's


_BOOL_TRUE = {"1", "true", "yes", "on"}

# environment variable -> (config key, converter)
_ENV = {
    "HUB_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "HUB_SECRET_KEY": ("SECRET_KEY", str),
    "HUB_TIMEZONE": ("HUB_TIMEZONE", str),
    "HUB_KABUPATEN": ("HUB_KABUPATEN", str),
    "HUB_ALLOW_PRIVATE_FEEDS": ("HUB_ALLOW_PRIVATE_FEEDS", lambda v: v.strip().lower() in _BOOL_TRUE),
    "HUB_TRUSTED_PROXIES": ("HUB_TRUSTED_PROXIES", int),
    "HUB_BASE_URL": ("HUB_BASE_URL", lambda v: v.rstrip("/") + "/"),
    "HUB_INPROCESS_WORKER": ("HUB_INPROCESS_WORKER", lambda v: v.strip().lower() in _BOOL_TRUE),
    "HUB_DEMO_FEEDS": ("HUB_DEMO_FEEDS", lambda v: v.strip().lower() in _BOOL_TRUE),
    "HUB_DEMO_BASE_URL": ("HUB_DEMO_BASE_URL", lambda v: v.rstrip("/") + "/"),
    "HUB_SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", lambda v: v.strip().lower() in _BOOL_TRUE),
    "HUB_TOKEN_DAYS": ("HUB_TOKEN_DAYS", int),
    "HUB_SMTP_URL": ("HUB_SMTP_URL", str),
    "HUB_MAIL_FROM": ("HUB_MAIL_FROM", str),
    "HUB_FETCH_TIMEOUT": ("HUB_FETCH_TIMEOUT", float),
    "HUB_USER_AGENT": ("HUB_USER_AGENT", str),
    "HUB_RATELIMIT_STORAGE_URL": ("RATELIMIT_STORAGE_URI", str),
    "HUB_RATELIMIT_LOGIN": ("HUB_RATELIMIT_LOGIN", str),
    "HUB_RATELIMIT_WRITES": ("HUB_RATELIMIT_WRITES", str),
    "HUB_RATELIMIT_PREFIX": ("HUB_RATELIMIT_PREFIX", str),
}


def load(app, overrides=None):
    """Fill app.config from defaults, instance/config.py, the environment and overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for var, (key, convert) in _ENV.items():
        value = os.environ.get(var)
        if value not in (None, ""):
            app.config[key] = convert(value)
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
        or "sqlite:///" + str(Path(app.instance_path) / "hub.db")
    )
    if app.config.get("SESSION_COOKIE_SECURE"):
        # served over HTTPS only: the remember-me cookie too, and browsers are told (HSTS)
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def normalize_database_url(url):
    """Use the psycopg 3 driver for plain postgresql:// URLs (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(instance: Path) -> str:
    """Read the secret key from instance/secret_key, generating it on first run."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
