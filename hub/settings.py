"""Hub-wide settings an admin changes in the browser, kept in the `setting` table.

Each setting is declared here with its default and its bounds; unknown keys are refused.
"""
from flask_babel import lazy_gettext as _l

from .errors import Invalid
from .events import record_event
from .extensions import db
from .models import Setting, utcnow

# key -> (default, minimum, maximum, label)
SETTINGS = {
    "quiet_days": (14, 1, 365, _l("Days without activity before a KIM counts as quiet")),
    "retention_days": (365, 0, 3650, _l("Days an item of a source no KIM follows is kept (0: for ever)")),
}


def get(key):
    default, low, high, _label = SETTINGS[key]
    row = db.session.get(Setting, key)
    if row is None:
        return default
    try:
        return min(max(int(row.value), low), high)
    except ValueError:
        return default


def put(key, value, *, actor=None):
    """Change a setting (the caller commits). Raises Invalid outside its bounds."""
    if key not in SETTINGS:
        raise Invalid(_l("Unknown setting."), field=key)
    _default, low, high, label = SETTINGS[key]
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(_l("%(field)s must be a whole number.", field=label), field=key) from None
    if not low <= number <= high:
        raise Invalid(_l("%(field)s must be between %(low)d and %(high)d.", field=label, low=low, high=high),
                      field=key)
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=str(number), updated_at=utcnow())
        db.session.add(row)
    else:
        row.value, row.updated_at = str(number), utcnow()
    record_event("setting.changed", actor=actor, data={"key": key, "value": number})
    return number
