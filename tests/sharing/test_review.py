"""Check before spreading: checks, hoaks flags and the warnings they send along the tree,
disseminations, the WhatsApp summary, and the exchange lists with their filters."""
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Event, Exchange, FlagWarning, Item, utcnow
from hub.sharing import review, service
from tests.factories import login, make_kim, make_user, post
from tests.sharing.test_exchanges import item, user


@pytest.fixture
def network(app, world):
    """Talago (Dedi member, Rina officer) -> Sarilamak (Fitri member, Sari officer) -> Taram -> Mungo;
    Koto Tuo stays outside the tree."""
    make_kim(app, "taram", kecamatan="Harau")
    make_kim(app, "mungo", kecamatan="Luak")
    make_kim(app, "koto-tuo", kecamatan="Luak")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "sari@example.id", kim="sarilamak", role="pengurus")
    make_user(app, "tari@example.id", kim="taram", role="pengurus")
    make_user(app, "hendra@example.id", kim="mungo")
    make_user(app, "uda@example.id", kim="koto-tuo", role="pengurus")
    return world


def _chain(app):
    """Harga gambir naik: Talago -> Sarilamak -> Taram -> Mungo."""
    with app.app_context():
        gambir = item("Harga gambir naik")
        first = service.share(gambir, get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id")).exchanges[0]
        second = service.pass_on(first, ["taram"], actor=user("fitri@example.id")).exchanges[0]
        service.pass_on(second, ["mungo"], actor=user("tari@example.id"))
        db.session.commit()
        return gambir.id


def test_only_officers_check_and_only_after_a_check_members_disseminate(app, network):
    with app.app_context():
        gambir, talago = item("Harga gambir naik"), get_kim("talago")
        with pytest.raises(Forbidden):
            review.record_check(gambir, talago, actor=user("dedi@example.id"), note="Sudah dicek")
        with pytest.raises(Conflict, match="memeriksa"):
            review.disseminate(gambir, talago, actor=user("dedi@example.id"), channel="whatsapp", audience=50)
        with pytest.raises(Invalid):
            review.record_check(gambir, talago, actor=user("rina@example.id"), note="")
        with pytest.raises(Invalid, match="bukan alamat web"):
            review.record_check(gambir, talago, actor=user("rina@example.id"), note="Cek", links="javascript:alert(1)")
        with pytest.raises(NotFound):  # Koto Tuo does not have the item
            review.record_check(gambir, get_kim("koto-tuo"), actor=user("uda@example.id"), note="Cek")
        check = review.record_check(gambir, talago, actor=user("rina@example.id"),
                                    note="Dicek ke pasar Sarilamak", links="https://pasar.example.id/harga\n")
        assert check.links == ["https://pasar.example.id/harga"]
        with pytest.raises(Invalid):
            review.disseminate(gambir, talago, actor=user("dedi@example.id"), channel="merpati")
        with pytest.raises(Invalid):
            review.disseminate(gambir, talago, actor=user("dedi@example.id"), channel="radio", audience="banyak")
        with pytest.raises(Forbidden):  # Fitri is not of Talago
            review.disseminate(gambir, talago, actor=user("fitri@example.id"), channel="radio")
        row = review.disseminate(gambir, talago, actor=user("dedi@example.id"), channel="whatsapp", audience=85,
                                 note="Grup tani")
        db.session.commit()
        assert (row.channel, row.audience) == ("whatsapp", 85)
        verbs = dict(db.session.execute(db.select(Event.verb, Event.activity)
                                        .where(Event.verb.in_(["item.checked", "item.disseminated"]))).all())
        assert verbs == {"item.checked": "diskusi", "item.disseminated": "diseminasi"}


def test_a_flag_warns_every_kim_on_the_tree_and_only_them(app, network):
    gambir_id = _chain(app)
    with app.app_context():
        gambir = db.session.get(Item, gambir_id)
        # Talago also checked and disseminated it; Koto Tuo is elsewhere
        review.record_check(gambir, get_kim("talago"), actor=user("rina@example.id"), note="Cek")
        review.disseminate(gambir, get_kim("talago"), actor=user("dedi@example.id"), channel="papan")
        with pytest.raises(Forbidden):  # a member cannot flag
            review.flag(gambir, get_kim("taram"), actor=user("fitri@example.id"), kind="hoaks", reason="x")
        mark, warned = review.flag(gambir, get_kim("taram"), actor=user("tari@example.id"), kind="hoaks",
                                   reason="Harga sebenarnya turun")
        db.session.commit()
        slugs = {db.session.get(type(get_kim("talago")), k).slug for k in warned}
        assert slugs == {"talago", "sarilamak", "mungo"}  # everyone on the tree but the flagging KIM
        assert {w.kim.slug for w in db.session.scalars(db.select(FlagWarning))} == slugs
        with pytest.raises(Conflict):
            review.flag(gambir, get_kim("taram"), actor=user("tari@example.id"), kind="misleading", reason="lagi")
        with pytest.raises(Conflict, match="ditandai"):
            review.disseminate(gambir, get_kim("talago"), actor=user("dedi@example.id"), channel="radio")
    # the warning reaches each inbox (and its count in the navigation), and the item shows it
    for email, slug in [("dedi@example.id", "talago"), ("fitri@example.id", "sarilamak"), ("hendra@example.id",
                                                                                           "mungo")]:
        client = app.test_client()
        login(client, email)
        home = client.get("/").get_data(as_text=True)
        assert 'class="count"' in home
        inbox = client.get(f"/kim/{slug}/inbox").get_data(as_text=True)
        assert "Ditandai sebagai hoaks" in inbox and "Harga sebenarnya turun" in inbox
        page = client.get(f"/item/{gambir_id}").get_data(as_text=True)
        assert "Peringatan: ditandai sebagai Hoaks oleh KIM taram." in page
        if slug != "talago":  # a receiver also sees it on the exchange in its inbox
            assert inbox.count('class="flag-mark"') == 1
            with app.app_context():
                exchange_id = db.session.scalar(db.select(Exchange.id).where(
                    Exchange.item_id == gambir_id, Exchange.to_kim_id == get_kim(slug).id))
            assert 'class="flag-warning"' in client.get(f"/exchange/{exchange_id}").get_data(as_text=True)
        assert "Kirim lewat WhatsApp" not in page  # no easy way to spread it further
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(FlagWarning)
                                 .where(FlagWarning.seen_at.is_(None))) == 0  # opened inboxes saw them
        # a flagged item no longer travels as news; sent on as a warning, it warns the new holder too
        gambir, mungo, hendra = db.session.get(Item, gambir_id), get_kim("mungo"), user("hendra@example.id")
        with pytest.raises(Conflict, match="menandai|flagged"):
            service.share(gambir, mungo, ["koto-tuo"], actor=hendra)
        db.session.rollback()
        warning = service.share(gambir, mungo, ["koto-tuo"], actor=hendra, as_warning=True).exchanges[0]
        assert warning.as_warning and warning.warning_flag.kim.slug == "taram"
        db.session.commit()
        assert db.session.scalar(db.select(FlagWarning.kim_id).where(FlagWarning.kim_id == get_kim("koto-tuo").id))


def test_timeline_marks_flagged_items_and_withdrawal_lifts_it(app, network):
    gambir_id = _chain(app)
    officer = app.test_client()
    login(officer, "tari@example.id")
    response = post(officer, f"/item/{gambir_id}/flag", {"kim": "taram", "kind": "misleading",
                                                         "reason": "Judul keliru"})
    assert response.status_code == 302
    done = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tanda dicatat; 3 KIM lain diperingatkan." in done
    dedi = app.test_client()
    login(dedi, "dedi@example.id")
    timeline = dedi.get("/linimasa").get_data(as_text=True)
    assert timeline.count('class="flag-mark"') == 1
    with app.app_context():
        flag_id = review.flags_of(db.session.get(Item, gambir_id))[0].id
    assert post(dedi, f"/flag/{flag_id}/withdraw").status_code == 403  # not Taram's officer
    assert post(officer, f"/flag/{flag_id}/withdraw").status_code == 302
    assert 'class="flag-mark"' not in dedi.get("/linimasa").get_data(as_text=True)
    page = dedi.get(f"/item/{gambir_id}").get_data(as_text=True)
    assert "menarik tanda itu" in page and "Peringatan:" not in page


def test_exchange_lists_filter_by_status_kim_kecamatan_and_period(app, network):
    _chain(app)
    with app.app_context():
        talago = get_kim("talago")
        service.share(item("Pupuk bersubsidi"), talago, "network", actor=user("dedi@example.id"))
        old = service.share(item("Jadwal tanam padi"), talago, ["taram"], actor=user("dedi@example.id")).exchanges[0]
        old.sent_at = utcnow() - timedelta(days=40)
        db.session.commit()
    dedi = app.test_client()
    login(dedi, "dedi@example.id")

    def titles(query):
        html = dedi.get(f"/kim/talago/terkirim{query}").get_data(as_text=True)
        return sorted(t for t in ("Harga gambir naik", "Pupuk bersubsidi", "Jadwal tanam padi") if t in html), html

    assert titles("")[0] == ["Harga gambir naik", "Jadwal tanam padi", "Pupuk bersubsidi"]
    assert titles("?status=passed_on")[0] == ["Harga gambir naik"]
    assert titles("?kim=taram")[0] == ["Jadwal tanam padi", "Pupuk bersubsidi"]
    found, html = titles("?kecamatan=Luak")
    assert found == ["Pupuk bersubsidi"] and html.count("<li class=\"entry") == 2  # Mungo and Koto Tuo
    recent = (utcnow() - timedelta(days=7)).date().isoformat()
    assert titles(f"?since={recent}")[0] == ["Harga gambir naik", "Pupuk bersubsidi"]
    assert titles(f"?until={(utcnow() - timedelta(days=30)).date().isoformat()}")[0] == ["Jadwal tanam padi"]
    assert "Tidak ada pertukaran yang cocok" in titles("?status=declined")[1]
    # the inbox takes the same filters
    tari = app.test_client()
    login(tari, "tari@example.id")
    inbox = tari.get("/kim/taram/inbox?kim=talago").get_data(as_text=True)
    assert "Jadwal tanam padi" in inbox and "Harga gambir naik" not in inbox  # that one came from Sarilamak


def test_whatsapp_summary_and_short_links(app, network):
    with app.app_context():
        gambir, talago = item("Harga gambir naik"), get_kim("talago")
        review.record_check(gambir, talago, actor=user("rina@example.id"), note="Cek")
        from hub.posts.service import create_post
        news = create_post(talago, actor=user("rina@example.id"), title="Gotong *royong* Minggu",
                           body="Semua warga Jorong Koto diundang membersihkan saluran irigasi.", publish=True,
                           base_url="http://localhost/")
        db.session.commit()
        ids = (gambir.id, news.item_id)
        gambir_url, post_id = gambir.url, news.id
    dedi = app.test_client()
    login(dedi, "dedi@example.id")
    page = dedi.get("/kim/talago/ringkasan-wa").get_data(as_text=True)
    assert "Harga gambir naik" in page and "Gotong *royong* Minggu" in page
    assert "Festival Lembah Harau" not in page  # not checked: not offered
    page = dedi.get(f"/kim/talago/ringkasan-wa?item={ids[0]}&item={ids[1]}").get_data(as_text=True)
    import html as htmlmod
    start = page.index('id="wa-text"')
    message = htmlmod.unescape(page[page.index(">", start) + 1:page.index("</textarea>", start)])
    lines = message.splitlines()
    assert lines[0].startswith("*Info dari KIM talago, ") and lines[0].endswith("*")
    assert "1. *Harga gambir naik*" in lines and "2. *Gotong royong Minggu*" in lines  # asterisks inside removed
    links = [line for line in lines if line.startswith("http://localhost/s/")]
    assert len(links) == 2
    assert dedi.get(urlsplit(links[0]).path).headers["Location"] == gambir_url
    assert dedi.get(urlsplit(links[1]).path).headers["Location"].endswith(f"/berita/{post_id}")
    wa = page[page.index('href="https://wa.me/?text=') + 6:]
    wa = htmlmod.unescape(wa[:wa.index('"')])
    assert parse_qs(urlsplit(wa).query)["text"][0] == message
    # outsiders' items cannot be slipped in
    outsider = dedi.get("/kim/talago/ringkasan-wa?item=999999").get_data(as_text=True)
    assert 'id="wa-text"' not in outsider and "Pilih informasi dari daftar" in outsider
    # the button pressed with nothing ticked says so
    empty = dedi.get("/kim/talago/ringkasan-wa?make=1").get_data(as_text=True)
    assert 'id="wa-text"' not in empty and "Centang paling sedikit satu informasi" in empty


def test_forms_on_the_item_page(app, network):
    with app.app_context():
        gambir_id = item("Harga gambir naik").id
    rina = app.test_client()
    login(rina, "rina@example.id")
    response = post(rina, f"/item/{gambir_id}/check", {"kim": "talago", "note": "", "links": "https://dinas.example.id/a"})
    page = response.get_data(as_text=True)  # refused: the page again, the links typed kept
    assert response.status_code == 422 and "Tuliskan apa yang diperiksa" in page
    assert ">https://dinas.example.id/a</textarea>" in page
    response = post(rina, f"/item/{gambir_id}/check", {"kim": "talago", "note": "Cocok dengan data dinas",
                                                       "links": "https://dinas.example.id/harga"})
    page = rina.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pemeriksaan dicatat untuk KIM talago." in page and "Cocok dengan data dinas" in page
    response = post(rina, f"/item/{gambir_id}/disseminate", {"kim": "talago", "channel": "pertemuan",
                                                             "audience": "30", "note": "Rapat kelompok tani"})
    page = rina.get(response.headers["Location"]).get_data(as_text=True)
    assert "Diseminasi dicatat untuk KIM talago." in page and "Pertemuan" in page and "30 orang" in page
    # another KIM's officer cannot act for Talago
    sari = app.test_client()
    login(sari, "sari@example.id")
    with app.app_context():
        service.share(db.session.get(Item, gambir_id), get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"))
        db.session.commit()
    assert post(sari, f"/item/{gambir_id}/check", {"kim": "talago", "note": "x"}).status_code == 403
    assert post(sari, f"/item/{gambir_id}/disseminate", {"kim": "talago", "channel": "radio"}).status_code == 403


def test_search_finds_items_shared_with_the_kim(app, network):
    from hub.reading import timeline
    with app.app_context():
        fitri = user("fitri@example.id")
        assert timeline.timeline(get_kim("sarilamak"), fitri, timeline.Filters(q="gambir")).entries == []
        service.share(item("Harga gambir naik"), get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"))
        db.session.commit()
        found = timeline.timeline(get_kim("sarilamak"), fitri, timeline.Filters(q="gambir")).entries
        assert [e.item.title for e in found] == ["Harga gambir naik"] and found[0].shared is not None
        # its own source's items are still found beside it, best match first
        assert [e.item.title for e in timeline.timeline(get_kim("sarilamak"), fitri,
                                                        timeline.Filters(q="longsor")).entries] == ["Waspada longsor"]
