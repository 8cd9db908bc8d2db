"""Language choice and template helpers for dates."""
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context

from ..models.types import utcnow
from ..timefmt import format_day, format_local


def ungettext(singular, plural):
    """A plural message marked for extraction (one of pybabel's default keywords), said later
    through the catalog."""
    return singular, plural


def N_(message):
    """A message marked for extraction (pybabel's default keyword), said later."""
    return message


JUST_NOW = N_("just now")

# (seconds in the unit, (singular, plural))
AGO_UNITS = [
    (365 * 86400, ungettext("%(num)d year ago", "%(num)d years ago")),
    (30 * 86400, ungettext("%(num)d month ago", "%(num)d months ago")),
    (7 * 86400, ungettext("%(num)d week ago", "%(num)d weeks ago")),
    (86400, ungettext("%(num)d day ago", "%(num)d days ago")),
    (3600, ungettext("%(num)d hour ago", "%(num)d hours ago")),
    (60, ungettext("%(num)d minute ago", "%(num)d minutes ago")),
]


_LABELS = {}  # (vocabulary, language) -> {code: label}


def remembers(app):
    """Whether translations said once may be remembered: the catalogs are read once per process,
    except in debug, where templates and catalogs are reloaded."""
    return not (app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"))


def labels(vocabulary):
    """{code: label} of a vocabulary of lazy strings (hub.vocabulary) in the request's language,
    said once per language and process (the catalogs are read once per process; in debug,
    where they are reloaded, every time)."""
    key = (id(vocabulary), str(get_locale()))
    found = _LABELS.get(key)
    if found is None:
        found = {code: str(label) for code, label in vocabulary.items()}
        if remembers(current_app):
            _LABELS[key] = found
    return found


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


def _lang(context):
    """The language of the page being rendered: the context's `current_lang` (language_context,
    below, puts it there once per render), else the request's locale (a template rendered
    without the context processors, a macro imported without context)."""
    return context.get("current_lang") or str(get_locale())


class Catalog:
    """The templates' gettext and ngettext, each message looked up once per language and then
    remembered: Flask-Babel finds the domain, the locale and the catalog again on every call
    (~40 us; a timeline calls it some eighty times). The language is the rendered page's own
    (_lang: read from the template's context, not from the request's locale at every call), so a
    page rendered under force_locale (a feed, an e-mail) gets its own. The catalogs are read once
    per process, so what is remembered cannot go stale; in debug (templates and catalogs
    reloaded) nothing is remembered."""

    def __init__(self, remember=True):
        self.remember = remember
        self.said = {}

    def lookup(self, lang, message):
        key = (lang, message)
        found = self.said.get(key)
        if found is None:
            found = get_translations().ugettext(message)
            if self.remember:
                self.said[key] = found
        return found

    def nlookup(self, lang, singular, plural, n):
        key = (lang, singular, plural, n)
        found = self.said.get(key)
        if found is None:
            found = get_translations().ungettext(singular, plural, n)
            if self.remember and 0 <= n < 1000:  # the numbers pages say; no unbounded memory
                self.said[key] = found
        return found

    def template_callables(self):
        """gettext and ngettext as Jinja calls them (with the template's context)."""
        @pass_context
        def gettext(context, message):
            return self.lookup(_lang(context), message)

        @pass_context
        def ngettext(context, singular, plural, n):
            return self.nlookup(_lang(context), singular, plural, n)
        return gettext, ngettext


def init_app(app):
    catalog = Catalog(remember=remembers(app))
    gettext, ngettext_ = catalog.template_callables()
    app.jinja_env.install_gettext_callables(gettext=gettext, ngettext=ngettext_, newstyle=True)

    @app.template_filter("localtime")
    @pass_context
    def localtime(context, value, date_only=False):
        return format_local(value, app.config["HUB_TIMEZONE"], _lang(context), date_only)

    @app.template_filter("localdate")
    @pass_context
    def localdate(context, value):
        """A local calendar day (a date, not an instant): '2 Desember 2026'."""
        return format_day(value, _lang(context)) if value is not None else ""

    @app.template_filter("ago")
    @pass_context
    def ago(context, value):
        """'2 jam yang lalu', '3 hari yang lalu': each (language, unit, number) translated once
        (a timeline shows fifty; most say the same few things), through the catalog's memory."""
        if value is None:
            return ""
        seconds = max(0, (utcnow() - value).total_seconds())
        lang = _lang(context)
        for size, (singular, plural) in AGO_UNITS:
            if seconds >= size:
                n = int(seconds // size)
                return catalog.nlookup(lang, singular, plural, n) % {"num": n}
        return catalog.lookup(lang, JUST_NOW)

    @app.template_filter("isotime")
    def isotime(value):
        return value.isoformat() if value else ""

    @app.context_processor
    def language_context():
        return {"current_lang": str(get_locale()), "languages": app.config["HUB_LANGUAGES"]}
