"""flask kims / users / demo."""
from hub.extensions import db
from hub.models import CoordinatorRole, Kim, Membership, User
from tests.factories import login


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_kims_create(app):
    result = run(app, "kims", "create", "--slug", "tujuah-koto-talago", "--name", "KIM Tujuah Koto",
                 "--nagari", "Tujuah Koto Talago", "--kecamatan", "Guguak")
    assert result.exit_code == 0, result.output
    assert "Created KIM tujuah-koto-talago" in result.output
    with app.app_context():
        kim = db.session.scalar(db.select(Kim))
        assert (kim.slug, kim.kabupaten) == ("tujuah-koto-talago", "Lima Puluh Kota")
    again = run(app, "kims", "create", "--slug", "tujuah-koto-talago", "--name", "X", "--nagari", "X",
                "--kecamatan", "Guguak")
    assert again.exit_code != 0 and "Sudah ada KIM dengan slug ini." in again.output
    bad = run(app, "kims", "create", "--slug", "Bad Slug", "--name", "X", "--nagari", "X", "--kecamatan", "X")
    assert bad.exit_code != 0 and "Slug hanya boleh" in bad.output
    listing = run(app, "kims", "list")
    assert "tujuah-koto-talago" in listing.output


def test_users_create_with_roles(app):
    run(app, "kims", "create", "--slug", "talago", "--name", "KIM Talago", "--nagari", "Talago", "--kecamatan",
        "Guguak")
    result = run(app, "users", "create", "--email", "rina@example.id", "--name", "Rina", "--password",
                 "kata-sandi-1", "--kim", "talago", "--role", "pengurus")
    assert result.exit_code == 0, result.output
    assert run(app, "users", "create", "--email", "koor@example.id", "--name", "Koor", "--password",
               "kata-sandi-1", "--coordinator", "Guguak").exit_code == 0
    assert run(app, "users", "create", "--email", "kab@example.id", "--name", "Kab", "--password",
               "kata-sandi-1", "--coordinator-kabupaten").exit_code == 0
    assert run(app, "users", "create", "--email", "admin@example.id", "--name", "Admin", "--password",
               "kata-sandi-1", "--admin").exit_code == 0
    with app.app_context():
        rina = db.session.scalar(db.select(User).where(User.email == "rina@example.id"))
        assert [(m.kim.slug, m.role) for m in rina.memberships] == [("talago", "pengurus")]
        roles = dict(db.session.execute(
            db.select(User.email, CoordinatorRole.kecamatan).join(CoordinatorRole.user)).all())
        assert roles == {"koor@example.id": "Guguak", "kab@example.id": None}
        assert db.session.scalar(db.select(User.is_admin).where(User.email == "admin@example.id")) is True
    client = app.test_client()
    assert login(client, "rina@example.id", "kata-sandi-1").status_code == 302


def test_users_create_refuses_bad_input_and_writes_nothing(app):
    cases = [
        (["--email", "x@example.id", "--name", "X", "--password", "kata-sandi-1", "--kim", "tidak-ada"],
         "KIM tidak ditemukan."),
        (["--email", "bukan", "--name", "X", "--password", "kata-sandi-1"], "Alamat email tidak valid."),
        (["--email", "x@example.id", "--name", "X", "--password", "pendek"], "paling sedikit 10"),
        (["--email", "x@example.id", "--name", "X", "--password", "1234567890"], "paling umum"),
    ]
    for args, message in cases:
        result = run(app, "users", "create", *args)
        assert result.exit_code != 0 and message in result.output, result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == 0


def test_demo_loads_once(app):
    result = run(app, "demo")
    assert result.exit_code == 0, result.output
    assert "admin@demo.jejaringkim.id" in result.output and "demo-kim-2026" in result.output
    with app.app_context():
        kims = db.session.scalars(db.select(Kim)).all()
        assert len(kims) >= 8 and len({k.kecamatan for k in kims}) >= 2
        assert {k.kabupaten for k in kims} == {"Lima Puluh Kota"}
        assert "Tujuah Koto Talago" in {k.nagari for k in kims}
        users = db.session.scalars(db.select(User)).all()
        assert any(u.is_admin for u in users)
        roles = {c.kecamatan for u in users for c in u.coordinator_roles}
        assert None in roles and roles - {None}  # a kabupaten and a kecamatan coordinator
        assert {m.role for u in users for m in u.memberships} == {"anggota", "pengurus"}
    again = run(app, "demo")
    assert again.exit_code == 1 and "already has data" in again.output
    quiet = run(app, "demo", "--if-empty")
    assert quiet.exit_code == 0 and "demo-kim-2026" in quiet.output
    client = app.test_client()
    assert login(client, "anggota.talago@demo.jejaringkim.id", "demo-kim-2026").status_code == 302
    assert "KIM Tujuah Koto" in client.get("/").get_data(as_text=True)


def test_demo_refuses_a_hub_with_data(app):
    run(app, "kims", "create", "--slug", "talago", "--name", "KIM Talago", "--nagari", "Talago", "--kecamatan",
        "Guguak")
    result = run(app, "demo")
    assert result.exit_code == 1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Kim)) == 1
