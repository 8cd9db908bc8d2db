"""E-mail digests of notifications (issue 12), against a real SMTP server on loopback (aiosmtpd):
one e-mail per person with what is new, never twice, nothing without HUB_SMTP_URL."""
import socket

import pytest
from aiosmtpd.controller import Controller

from hub.extensions import db
from hub.kims.service import get_kim
from hub.sharing import service as sharing
from tests.sharing.test_exchanges import item, user


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


def test_one_digest_per_person_never_twice(app, world, smtp):
    url, inbox = smtp
    from hub.web.notifications import email_digests
    with app.app_context():
        sharing.share(item("Waspada longsor"), get_kim("sarilamak"), ["talago"], actor=user("fitri@example.id"))
        sharing.share(item("Festival Lembah Harau"), get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"))
        db.session.commit()
        assert email_digests() == 0  # no HUB_SMTP_URL: nothing goes
        app.config["HUB_SMTP_URL"] = url
        assert email_digests() == 2
        assert email_digests() == 0  # already sent
    by_person = {tuple(to): text for to, text in inbox.messages}
    assert set(by_person) == {("dedi@example.id",), ("fitri@example.id",)}
    dedi = by_person[("dedi@example.id",)]
    assert "Halo dedi," in dedi and "KIM sarilamak membagikan: Waspada longsor" in dedi and "/notifikasi/" in dedi
    assert "Festival" not in dedi  # only his own
