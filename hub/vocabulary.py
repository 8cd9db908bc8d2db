"""The hub's shared vocabulary: every coded value stored in the database, with the label shown
for it (Indonesian first, through Babel). Models build their CHECK constraints from these
codes; services validate with them; forms and templates list them. Nothing else is imported
here, so any layer may import it.
"""
from flask_babel import lazy_gettext as _l

# bidang (topic) of a subscription or a post
BIDANG = {
    "umum": _l("General"),
    "pemerintahan": _l("Government"),
    "pertanian": _l("Agriculture"),
    "peternakan": _l("Livestock"),
    "kesehatan": _l("Health"),
    "pendidikan": _l("Education"),
    "ekonomi": _l("Economy"),
    "sosial-budaya": _l("Society and culture"),
    "agama": _l("Religion"),
    "bencana": _l("Disasters"),
    "lingkungan": _l("Environment"),
    "pariwisata": _l("Tourism"),
    "teknologi": _l("Technology"),
}

# who runs a source
KIND_LABELS = {"pemerintah": _l("Government office"), "media": _l("Media"), "kim": _l("KIM"), "lainnya": _l("Other")}
SOURCE_KINDS = tuple(KIND_LABELS)

# a member's role in a KIM, and who writes a KIM's posts
ROLES = ("anggota", "pengurus")
POST_POLICIES = ("anggota", "draft", "pengurus")
POST_STATUSES = ("draft", "published")

# an exchange between KIMs
STATUS_LABELS = {"sent": _l("Sent"), "seen": _l("Seen"), "passed_on": _l("Passed on"), "declined": _l("Declined")}
STATUSES = tuple(STATUS_LABELS)

# how a KIM passed an item on to its community
CHANNEL_LABELS = {
    "whatsapp": _l("WhatsApp group"),
    "papan": _l("Notice board"),
    "pertemuan": _l("Meeting"),
    "radio": _l("Radio"),
    "website": _l("Website"),
    "lainnya": _l("Other"),
}
CHANNELS = tuple(CHANNEL_LABELS)

# what a flag says of an item
FLAG_LABELS = {"hoaks": _l("Hoaks"), "misleading": _l("Misleading")}
FLAG_KINDS = tuple(FLAG_LABELS)

# the seed's six ADINDA activities, which every event counts under
ADINDA_LABELS = {"akses": _l("Akses"), "diskusi": _l("Diskusi"), "implementasi": _l("Implementasi"),
                 "networking": _l("Networking"), "diseminasi": _l("Diseminasi"), "aspirasi": _l("Aspirasi")}
ADINDA = tuple(ADINDA_LABELS)

# an activity a KIM held offline (Implementasi)
ACTIVITY_KIND_LABELS = {"pleno": _l("Plenary discussion (with a resource person)"), "pelatihan": _l("Training"),
                        "kerja_bakti": _l("Kerja bakti (community work)"),
                        "kunjungan_usaha": _l("Visit to a business"), "sosialisasi": _l("Information session"),
                        "lainnya": _l("Other")}
ACTIVITY_KINDS = tuple(ACTIVITY_KIND_LABELS)

# an aspiration's lifecycle (SP4N-LAPOR!; DESIGN.md §3)
ASPIRATION_STATUS_LABELS = {"submitted": _l("Submitted"), "verified": _l("Verified"), "postponed": _l("Postponed"),
                            "not_ours": _l("Not our remit"), "archived": _l("Archived"),
                            "forwarded": _l("Forwarded"), "answered": _l("Answered"), "closed": _l("Closed")}
ASPIRATION_STATUSES = tuple(ASPIRATION_STATUS_LABELS)


def one_of(column: str, codes) -> str:
    """A CHECK constraint's text: the column holds one of the codes."""
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"
