"""`flask fetch` and `flask worker` as an administrator runs them."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from werkzeug import Response

from hub.extensions import db
from hub.models import Item, Source
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import subscribe
from tests.factories import make_kim

ROOT = Path(__file__).resolve().parents[2]


def test_fetch_command_prints_progress_and_summary(app, httpserver):
    make_kim(app)
    httpserver.expect_request("/a").respond_with_data(rss(numbered(3)))
    httpserver.expect_request("/b").respond_with_data("no", status=404)
    subscribe(app, "tujuah-koto-talago", httpserver.url_for("/a"))
    subscribe(app, "tujuah-koto-talago", httpserver.url_for("/b"))
    result = app.test_cli_runner().invoke(args=["fetch", "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert "Mengambil umpan" in result.output
    assert "2 sumber: 1 diambil, 0 tidak berubah, 3 butir baru, 0 diperbarui, 1 galat" in result.output
    assert "HTTP: 200=1, 404=1" in result.output
    again = app.test_cli_runner().invoke(args=["fetch", "--processes", "1"])
    assert "0 sumber" in again.output  # nothing is due any more
    forced = app.test_cli_runner().invoke(args=["fetch", "--all", "--processes", "1"])
    assert "2 sumber" in forced.output


def test_worker_stops_cleanly_on_sigterm_without_losing_a_claim(app, httpserver, tmp_path):
    make_kim(app)

    def slow(request):
        time.sleep(1.5)
        return Response(rss(numbered(2)), content_type="application/rss+xml")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    ids = [subscribe(app, "tujuah-koto-talago", httpserver.url_for("/slow") + f"?n={n}") for n in range(6)]
    env = dict(os.environ, FLASK_APP="wsgi", HUB_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               HUB_SECRET_KEY="test", HUB_ALLOW_PRIVATE_FEEDS="1")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "worker", "--processes", "1", "--batch", "6"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 20
        while not httpserver.log and time.time() < deadline:  # wait until it is mid-fetch
            time.sleep(0.1)
        assert httpserver.log, "the worker never fetched"
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert "Worker stopped." in output
    with app.app_context():
        sources = db.session.scalars(db.select(Source).where(Source.id.in_(ids))).all()
        assert all(s.lease_until is None for s in sources)  # nothing left claimed
        fetched = [s for s in sources if s.last_success_at is not None]
        assert fetched, "the fetches in hand were finished and stored"
        assert db.session.scalar(db.select(db.func.count()).select_from(Item)) == 2 * len(fetched)


def descendants(pid):
    """Every living process below `pid` (read from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":  # a zombie is already dead
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_parser_processes_end_with_a_killed_worker(app, tmp_path):
    """SIGKILL gives the worker no chance to clean up: its parser processes must not linger."""
    if not sys.platform.startswith("linux"):
        import pytest
        pytest.skip("parent-death signals are a Linux matter")
    env = dict(os.environ, FLASK_APP="wsgi", HUB_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               HUB_SECRET_KEY="test", HUB_ALLOW_PRIVATE_FEEDS="1", PYTHONUNBUFFERED="1")
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen([sys.executable, "-m", "flask", "worker", "--processes", "2"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while "Worker running" not in log.read_text():  # its parser processes are up and ready
            assert time.time() < deadline and worker.poll() is None, log.read_text()
            time.sleep(0.1)
        children = descendants(worker.pid)
        assert len(children) >= 2, children
        worker.kill()
        worker.wait(timeout=10)
        deadline = time.time() + 10
        while any(Path(f"/proc/{pid}").exists() and "Z" != (Path(f"/proc/{pid}/stat").read_text()
                                                           .rsplit(")", 1)[1].split()[0]) for pid in children):
            assert time.time() < deadline, "parser processes outlived the worker"
            time.sleep(0.1)
    finally:
        if worker.poll() is None:
            worker.kill()


def _flask(app, *args, importtime=False):
    env = dict(os.environ, FLASK_APP="wsgi", HUB_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               HUB_SECRET_KEY="test", HUB_ALLOW_PRIVATE_FEEDS="1", HUB_INPROCESS_WORKER="0")
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run([sys.executable, *flags, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_flask_fetch_starts_without_pages_api_or_alembic_and_stores(app, httpserver):
    """The command a deployment runs loads what refreshing needs, not the faces (half the start-up)."""
    make_kim(app)
    httpserver.expect_request("/a").respond_with_data(rss(numbered(4)), content_type="application/rss+xml")
    subscribe(app, "tujuah-koto-talago", httpserver.url_for("/a"))
    done = _flask(app, "fetch", "--all", "--processes", "1", importtime=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "1 sumber: 1 diambil, 0 tidak berubah, 4 butir baru" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time")}
    assert "hub.aggregation.worker" in imported
    assert not {"hub.api", "hub.web.reading", "hub.web.auth", "hub.feeds", "hub.web.limits", "alembic"} & imported
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Item)) == 4
    # a command that serves or builds pages still gets them
    routes = _flask(app, "routes", importtime=True)
    assert routes.returncode == 0 and "/linimasa" in routes.stdout
    assert "hub.web.reading" in routes.stderr


def test_flask_db_imports_alembic_when_it_runs(app):
    current = _flask(app, "db", "current")
    assert current.returncode == 0, current.stderr[-3000:]
    assert "(head)" in current.stdout
    listing = _flask(app, "db", "--help")
    assert "upgrade" in listing.stdout and "downgrade" in listing.stdout


def test_which_flask_commands_need_no_faces(monkeypatch):
    from hub.app import faces_wanted
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    assert faces_wanted(["flask", "fetch"])  # not the flask command: an app built in code gets everything
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    for argv in (["flask", "fetch", "--all"], ["/x/flask/__main__.py", "fetch"], ["flask", "--app", "wsgi", "fetch"],
                 ["flask", "-A", "wsgi", "--debug", "fetch"], ["flask", "--app=wsgi", "-e", ".env", "fetch"]):
        assert not faces_wanted(argv), argv
    for argv in (["flask", "run"], ["flask", "worker"], ["flask", "--app", "fetch", "routes"], ["flask"],
                 ["flask", "--help"], ["flask", "demo", "fetch"]):
        assert faces_wanted(argv), argv
