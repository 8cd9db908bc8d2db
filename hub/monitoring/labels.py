"""Labels of the monitoring pages, reports and exports (Indonesian first, through Babel); the
labels of stored codes (ADINDA, kinds of activity) are in hub.vocabulary."""
from flask_babel import lazy_gettext as _l

# one colour per ADINDA activity, told apart also by the legend's order and the table behind
ADINDA_COLOURS = {"akses": "#0b6e4f", "diskusi": "#d97706", "implementasi": "#7c3aed", "networking": "#2563eb",
                  "diseminasi": "#db2777", "aspirasi": "#57534e"}
MEASURE_LABELS = {
    "members_active": _l("Active members"), "posts": _l("Posts"), "reads": _l("Items read"),
    "shares_sent": _l("Shares sent"), "shares_received": _l("Shares received"), "passed_on": _l("Passed on"),
    "declined": _l("Declined"), "pass_on_rate": _l("Pass-on rate"), "seen_median_hours": _l("Hours to seen (median)"),
    "checks": _l("Checks"), "flags": _l("Hoaks flags"), "disseminations": _l("Disseminations"),
    "audience": _l("People reached"), "activities": _l("Activities"), "last_activity_at": _l("Last activity"),
    "kims_active": _l("Active KIMs"), "quiet": _l("Quiet KIMs"),
    "aspirations_received": _l("Aspirations received"), "aspirations_in_time": _l("Aspirations handled in time"),
    "aspirations_late": _l("Aspirations late"),
}
PRESET_LABELS = {"week": _l("This week"), "month": _l("This month"), "last_month": _l("Last month"),
                 "range": _l("Chosen range")}
