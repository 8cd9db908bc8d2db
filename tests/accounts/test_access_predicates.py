"""The named access rules of hub.accounts.access, each for every kind of person (issue 11: the
rules were written out again in the views)."""
from hub.accounts import access
from hub.accounts import service as accounts
from hub.extensions import db
from hub.kims.service import get_kim, set_kim_active
from hub.models import Item, User
from hub.sharing import service as sharing
from tests.factories import make_kim, make_user


def person(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def test_every_rule_for_every_kind_of_person(app, world):
    make_kim(app, "taram", kecamatan="Harau")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "koor@example.id", coordinator="Guguak")
    make_user(app, "admin@example.id", admin=True)
    with app.app_context():
        talago, taram = get_kim("talago"), get_kim("taram")
        dedi, rina, fitri, koor, admin = (person(e) for e in ("dedi@example.id", "rina@example.id", "fitri@example.id",
                                                                 "koor@example.id", "admin@example.id"))
        gambir = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        exchange = sharing.share(gambir, talago, ["sarilamak"], actor=dedi).exchanges[0]
        db.session.commit()
        rules = {  # rule -> who passes it, among dedi (member), rina (officer), fitri (other KIM), koor, admin
            "can_act_for": (lambda u: access.can_act_for(u, talago), {"dedi", "rina", "admin"}),
            "can_manage_kim": (lambda u: access.can_manage_kim(u, talago), {"rina", "admin"}),
            "coordinates_kim": (lambda u: access.coordinates_kim(u, talago), {"koor", "admin"}),
            "receives": (lambda u: access.receives(u, exchange), {"fitri"}),
            "may_see_exchange": (lambda u: access.may_see_exchange(u, exchange), {"dedi", "rina", "fitri", "koor",
                                                                                  "admin"}),
            "may_see_kim (inactive)": (lambda u: access.may_see_kim(u, taram), {"admin"}),
        }
        set_kim_active(taram, False, actor=admin)
        people = {"dedi": dedi, "rina": rina, "fitri": fitri, "koor": koor, "admin": admin}
        for name, (rule, allowed) in rules.items():
            assert {who for who, user in people.items() if rule(user)} == allowed, name
        assert access.may_see_kim(None, talago)  # an active KIM is public
        # a deactivated account passes no rule
        accounts.set_user_active(rina, False, actor=admin)
        assert not access.can_manage_kim(rina, talago) and not access.can_act_for(rina, talago)
