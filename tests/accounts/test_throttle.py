"""The login throttle (per account and address, atomic, a growing delay, never a lockout) and
the rate limits of Flask-Limiter (per address for logging in, per token / person / address for
writes; memory or a shared Redis)."""
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests

from hub import create_app
from hub.extensions import db
from hub.models import LoginThrottle, utcnow
from tests.conftest import TEST_CONFIG, serve
from tests.factories import PASSWORD, login, make_user


def pass_the_delay(app):
    with app.app_context():
        for row in db.session.scalars(db.select(LoginThrottle)):
            if row.next_try_at is not None:
                row.next_try_at = utcnow() - timedelta(seconds=1)
        db.session.commit()


def test_free_tries_then_a_growing_delay_and_a_clear_message(app):
    make_user(app, "rina@example.id")
    client = app.test_client()
    for _ in range(5):
        assert login(client, "rina@example.id", "salah-salah", ip="10.0.0.5").status_code == 400
    waited = login(client, "rina@example.id", ip="10.0.0.5")  # even the right password waits now
    assert waited.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in waited.get_data(as_text=True)
    delays = []
    for _ in range(3):
        pass_the_delay(app)
        assert login(client, "rina@example.id", "salah-salah", ip="10.0.0.5").status_code == 400
        with app.app_context():
            row = db.session.scalar(db.select(LoginThrottle))
            delays.append(round((row.next_try_at - row.last_try_at).total_seconds()))
    assert delays == [2, 4, 8]  # doubling each time
    api = app.test_client().post("/api/v1/tokens", json={"email": "rina@example.id", "password": PASSWORD},
                                 environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert api.status_code == 429 and int(api.headers["Retry-After"]) > 0 and "error" in api.get_json()
    pass_the_delay(app)
    assert login(client, "rina@example.id", ip="10.0.0.5").status_code == 302  # the right one, in time
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(LoginThrottle)) == 0  # count cleared


def test_a_guesser_never_locks_out_the_owner_nor_the_village(app):
    make_user(app, "rina@example.id")
    make_user(app, "dedi@example.id")
    guesser = app.test_client()
    for _ in range(8):
        login(guesser, "rina@example.id", "tebak-tebak", ip="10.0.0.5")
    assert login(guesser, "rina@example.id", ip="10.0.0.5").status_code == 429
    # the owner, at home: not slowed down
    assert login(app.test_client(), "rina@example.id", ip="10.0.0.9").status_code == 302
    # a neighbour behind the same address, own account: not slowed down either
    assert login(app.test_client(), "dedi@example.id", ip="10.0.0.5").status_code == 302


def test_four_wrong_passwords_then_the_right_one(app):
    make_user(app, "rina@example.id")
    client = app.test_client()
    for _ in range(4):
        login(client, "rina@example.id", "salah-salah")
    assert login(client, "rina@example.id").status_code == 302


def test_a_parallel_burst_gets_no_more_checks_than_the_free_tries(app):
    """40 wrong passwords at once over real HTTP: each password check is counted before it runs,
    so exactly the free tries are checked and every other try is told to wait."""
    make_user(app, "rina@example.id")
    app.config["HUB_LOGIN_FIRST_DELAY_SECONDS"] = 600  # no delay runs out during the burst
    url, stop = serve(app)
    try:
        def attempt(_):
            return requests.post(url + "/api/v1/tokens", json={"email": "rina@example.id", "password": "salah-salah"},
                                 timeout=30).status_code
        with ThreadPoolExecutor(max_workers=40) as pool:
            codes = list(pool.map(attempt, range(40)))
    finally:
        stop()
    assert codes.count(401) == 5, codes
    assert codes.count(429) == 35, codes
    with app.app_context():
        assert db.session.scalar(db.select(LoginThrottle.failures)) == 5


def limited_app(tmp_path, app, **config):
    limited = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                              **config), instance_path=tmp_path / uuid.uuid4().hex)
    return limited


def close(*apps):
    for each in apps:
        with each.app_context():
            db.engine.dispose()


def test_login_is_rate_limited_per_address(app, tmp_path):
    make_user(app, "rina@example.id")
    limited = limited_app(tmp_path, app, HUB_RATELIMIT_LOGIN="3 per minute")
    client = limited.test_client()
    for _ in range(3):
        assert login(client, "tidak-ada@example.id", "salah-salah", ip="10.0.0.5").status_code == 400
    refused = login(client, "rina@example.id", ip="10.0.0.5")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Terlalu banyak permintaan" in refused.get_data(as_text=True)
    api = client.post("/api/v1/tokens", json={"email": "rina@example.id", "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert api.status_code == 429 and api.is_json
    assert login(limited.test_client(), "rina@example.id", ip="10.0.0.6").status_code == 302  # another address
    close(limited)


def test_writes_are_rate_limited_per_token_and_per_person(app, tmp_path):
    make_user(app, "rina@example.id")
    make_user(app, "dedi@example.id")
    limited = limited_app(tmp_path, app, HUB_RATELIMIT_WRITES="2 per minute")
    client = limited.test_client()
    rina = client.post("/api/v1/tokens", json={"email": "rina@example.id", "password": PASSWORD}).get_json()["token"]
    dedi = client.post("/api/v1/tokens", json={"email": "dedi@example.id", "password": PASSWORD}).get_json()["token"]
    codes = [client.delete("/api/v1/tokens/9999", headers={"Authorization": f"Bearer {rina}"}).status_code
             for _ in range(3)]
    assert codes == [404, 404, 429]
    refused = client.delete("/api/v1/tokens/9999", headers={"Authorization": f"Bearer {rina}"})
    assert refused.is_json and int(refused.headers["Retry-After"]) > 0
    assert client.delete("/api/v1/tokens/9999", headers={"Authorization": f"Bearer {dedi}"}).status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {rina}"}).status_code == 200  # reads are free
    # in the web, each logged-in person counts alone, though the village shares an address
    first, second = limited.test_client(), limited.test_client()
    login(first, "rina@example.id")
    login(second, "dedi@example.id")
    from tests.factories import post
    assert [post(first, "/lang", {"lang": "en"}).status_code for _ in range(3)] == [302, 302, 429]
    assert post(second, "/lang", {"lang": "en"}).status_code == 302
    close(limited)


def redis_running():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_running(), reason="no Redis at 127.0.0.1:6379 (this machine's kind runs one)")
def test_workers_share_their_counts_in_redis(app, tmp_path):
    """Two app processes' worth (two apps) on one Redis: the limit holds across both."""
    make_user(app, "rina@example.id")
    shared = dict(HUB_RATELIMIT_LOGIN="2 per minute", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                  HUB_RATELIMIT_PREFIX=f"hub-test-{uuid.uuid4().hex}")
    one, two = limited_app(tmp_path, app, **shared), limited_app(tmp_path, app, **shared)
    assert login(one.test_client(), "rina@example.id").status_code == 302
    assert login(two.test_client(), "rina@example.id").status_code == 302
    assert login(one.test_client(), "rina@example.id").status_code == 429
    assert login(two.test_client(), "rina@example.id").status_code == 429
    close(one, two)
