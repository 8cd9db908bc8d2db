"""Language choice and template helpers for dates."""
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from ..models.types import utcnow
from ..timefmt import format_day, format_local

AGO_UNITS = [
    (365 * 86400, lambda n: ngettext("%(num)d year ago", "%(num)d years ago", n)),
    (30 * 86400, lambda n: ngettext("%(num)d month ago", "%(num)d months ago", n)),
    (7 * 86400, lambda n: ngettext("%(num)d week ago", "%(num)d weeks ago", n)),
    (86400, lambda n: ngettext("%(num)d day ago", "%(num)d days ago", n)),
    (3600, lambda n: ngettext("%(num)d hour ago", "%(num)d hours ago", n)),
    (60, lambda n: ngettext("%(num)d minute ago", "%(num)d minutes ago", n)),
]


def select_locale():
    """The language chosen with the switch, else the user's preference, else Indonesian."""
    languages = current_app.config["HUB_LANGUAGES"]
    if not has_request_context():  # the CLI and the worker speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):
        # programs say what they want in Accept-Language; the API has no session
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = session.get("lang")
    if lang in languages:
        return lang
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


class Catalog:
    """The templates' gettext and ngettext, each message looked up once per language and then
    remembered: Flask-Babel finds the domain, the locale and the catalog again on every call
    (~40 us; a timeline calls it some eighty times). Keyed by the current locale, so a block
    under force_locale (a feed, an e-mail) gets its own language. The catalogs are read once
    per process, so what is remembered cannot go stale; in debug (templates and catalogs
    reloaded) nothing is remembered."""

    def __init__(self, remember=True):
        self.remember = remember
        self.said = {}

    def gettext(self, message):
        key = (str(get_locale()), message)
        found = self.said.get(key)
        if found is None:
            found = get_translations().ugettext(message)
            if self.remember:
                self.said[key] = found
        return found

    def ngettext(self, singular, plural, n):
        key = (str(get_locale()), singular, plural, n)
        found = self.said.get(key)
        if found is None:
            found = get_translations().ungettext(singular, plural, n)
            if self.remember and 0 <= n < 1000:  # the numbers pages say; no unbounded memory
                self.said[key] = found
        return found


def init_app(app):
    catalog = Catalog(remember=not (app.debug or app.config.get("TEMPLATES_AUTO_RELOAD")))
    app.jinja_env.install_gettext_callables(gettext=catalog.gettext, ngettext=catalog.ngettext, newstyle=True)

    @app.template_filter("localtime")
    def localtime(value, date_only=False):
        return format_local(value, current_app.config["HUB_TIMEZONE"], str(get_locale()), date_only)

    @app.template_filter("localdate")
    def localdate(value):
        """A local calendar day (a date, not an instant): '2 Desember 2026'."""
        return format_day(value, str(get_locale())) if value is not None else ""

    @app.template_filter("ago")
    def ago(value):
        """'2 jam yang lalu', '3 hari yang lalu': each (language, unit, number) translated once per
        request (a timeline shows fifty; most say the same few things)."""
        if value is None:
            return ""
        seconds = max(0, (utcnow() - value).total_seconds())
        said = g.setdefault("_hub_ago", {})
        for size, unit in AGO_UNITS:
            if seconds >= size:
                key = (str(get_locale()), size, int(seconds // size))
                if key not in said:
                    said[key] = unit(key[2])
                return said[key]
        return _("just now")

    @app.template_filter("isotime")
    def isotime(value):
        return value.isoformat() if value else ""

    @app.context_processor
    def language_context():
        return {"current_lang": str(get_locale()), "languages": app.config["HUB_LANGUAGES"]}
