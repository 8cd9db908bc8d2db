"""Indonesian-first labels of sharing codes, shared by pages, the WhatsApp summary and reports."""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {"sent": _l("Sent"), "seen": _l("Seen"), "passed_on": _l("Passed on"), "declined": _l("Declined")}
CHANNEL_LABELS = {
    "whatsapp": _l("WhatsApp group"),
    "papan": _l("Notice board"),
    "pertemuan": _l("Meeting"),
    "radio": _l("Radio"),
    "website": _l("Website"),
    "lainnya": _l("Other"),
}
FLAG_LABELS = {"hoaks": _l("Hoaks"), "misleading": _l("Misleading")}
