"""WTForms' own messages, listed so that `make messages` puts them in the hub's catalog (WTForms
has no Indonesian catalog; hub.web.forms.HubForm reads these translations). Never called."""
from flask_babel import gettext, ngettext


def _catalog():  # pragma: no cover - for extraction only
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Not a valid choice.")
    gettext("Not a valid integer value.")
    gettext("Not a valid date value.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Field must be equal to %(other_name)s.")
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
