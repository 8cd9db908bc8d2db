"""Every allowed and refused step of an aspiration's lifecycle (issue 12)."""
import itertools

import pytest

from hub.aspirasi.lifecycle import NEXT, check_step
from hub.errors import Conflict, Invalid
from hub.vocabulary import ASPIRATION_STATUSES

ALLOWED = {("submitted", "verified"), ("submitted", "postponed"), ("submitted", "not_ours"),
           ("submitted", "archived"), ("postponed", "verified"), ("postponed", "not_ours"),
           ("postponed", "archived"), ("verified", "forwarded"), ("verified", "archived"),
           ("forwarded", "answered"), ("answered", "closed"), ("not_ours", "closed")}


def test_every_step(app):
    if app.config["BACKEND"] != "sqlite":
        pytest.skip("no database involved: once is enough")
    with app.app_context():  # for the messages' language
        for old, new in itertools.product(ASPIRATION_STATUSES, repeat=2):
            if (old, new) in ALLOWED:
                check_step(old, new)
                continue
            with pytest.raises(Conflict) as refused:
                check_step(old, new)
            assert refused.value.status == 409 and refused.value.field == "status", (old, new)
            assert all(step in str(refused.value.message) for step in NEXT[old]), (old, new)  # allowed ones named


def test_an_unknown_status_is_invalid(app):
    with app.app_context(), pytest.raises(Invalid):
        check_step("submitted", "selesai")


def test_the_lifecycle_knows_every_status():
    assert set(NEXT) == set(ASPIRATION_STATUSES)
    assert all(set(steps) <= set(ASPIRATION_STATUSES) for steps in NEXT.values())
