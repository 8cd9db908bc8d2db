"""Configuration from defaults, instance/config.py and HUB_* environment variables."""
import os

from hub import create_app


def test_defaults_and_generated_secret(tmp_path, monkeypatch):
    for var in ("HUB_DATABASE_URL", "HUB_SECRET_KEY", "HUB_TIMEZONE", "HUB_ALLOW_PRIVATE_FEEDS"):
        monkeypatch.delenv(var, raising=False)
    app = create_app(instance_path=tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'hub.db'}"
    assert app.config["HUB_TIMEZONE"] == "Asia/Jakarta"
    assert app.config["HUB_ALLOW_PRIVATE_FEEDS"] is False
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"
    secret = (tmp_path / "secret_key").read_text()
    assert app.config["SECRET_KEY"] == secret and len(secret) == 64
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    # the next start reuses the same key, so sessions survive a restart
    assert create_app(instance_path=tmp_path).config["SECRET_KEY"] == secret


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hub")
    monkeypatch.setenv("HUB_SECRET_KEY", "dari-env")
    monkeypatch.setenv("HUB_TIMEZONE", "Asia/Makassar")
    monkeypatch.setenv("HUB_ALLOW_PRIVATE_FEEDS", "1")
    app = create_app(instance_path=tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1:5432/hub"
    assert app.config["SECRET_KEY"] == "dari-env"
    assert app.config["HUB_TIMEZONE"] == "Asia/Makassar"
    assert app.config["HUB_ALLOW_PRIVATE_FEEDS"] is True
    assert not (tmp_path / "secret_key").exists()
    monkeypatch.setenv("HUB_ALLOW_PRIVATE_FEEDS", "off")
    assert create_app(instance_path=tmp_path).config["HUB_ALLOW_PRIVATE_FEEDS"] is False


def test_instance_config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_TIMEZONE", raising=False)
    monkeypatch.delenv("HUB_SECRET_KEY", raising=False)
    (tmp_path / "config.py").write_text('HUB_TIMEZONE = "Asia/Jayapura"\nSECRET_KEY = "dari-file"\n')
    app = create_app(instance_path=tmp_path)
    assert app.config["HUB_TIMEZONE"] == "Asia/Jayapura" and app.config["SECRET_KEY"] == "dari-file"
    monkeypatch.setenv("HUB_TIMEZONE", "Asia/Jakarta")  # the environment wins over the file
    assert create_app(instance_path=tmp_path).config["HUB_TIMEZONE"] == "Asia/Jakarta"


def test_secret_key_is_not_committed():
    root = os.path.dirname(os.path.dirname(__file__))
    with open(os.path.join(root, ".gitignore")) as fh:
        ignore = fh.read()
    assert "instance/*" in ignore


def test_trusted_proxy_gives_the_client_address(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_TRUSTED_PROXIES", "1")
    app = create_app({"SECRET_KEY": "x"}, instance_path=tmp_path)
    seen = {}

    @app.route("/_addr")
    def addr():
        from flask import request
        seen["ip"] = request.remote_addr
        return "ok"

    app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.9"},
                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen["ip"] == "203.0.113.9"
