"""The shared vocabulary is the one place stored codes come from (issue 11): the database built
by the migrations accepts exactly the codes hub.vocabulary lists, column by column."""
import re

from sqlalchemy import text

from hub import vocabulary
from hub.extensions import db

CHECKS = {  # constraint name -> the codes its column takes
    "ck_exchange_status": vocabulary.STATUSES,
    "ck_dissemination_channel": vocabulary.CHANNELS,
    "ck_item_flag_kind": vocabulary.FLAG_KINDS,
    "ck_source_kind": vocabulary.SOURCE_KINDS,
    "ck_membership_role": vocabulary.ROLES,
    "ck_post_status": vocabulary.POST_STATUSES,
    "ck_activity_adinda": vocabulary.ADINDA,
    "ck_event_activity": vocabulary.ADINDA,
}


def constraint_texts(app):
    with app.app_context():
        if app.config["BACKEND"] == "postgresql":
            return dict(db.session.execute(text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c'")).all())
        found = {}
        for (sql,) in db.session.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table'")):
            for name, body in re.findall(r"CONSTRAINT (\w+) CHECK \((.*?)\)(?:,|\s*\n|\s*\))", sql or ""):
                found[name] = body
        return found


def test_the_database_takes_exactly_the_vocabularys_codes(app):
    texts = constraint_texts(app)
    for name, codes in CHECKS.items():
        assert name in texts, f"{name} is not in the migrated database"
        assert set(re.findall(r"'([^']+)'", texts[name])) == set(codes), name
