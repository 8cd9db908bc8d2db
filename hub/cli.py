"""`flask` commands for hub administrators."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .errors import DomainError
from .extensions import db
from .kims import service as kims


def _fail(exc):
    db.session.rollback()
    raise click.ClickException(str(exc.message))


def register(app):
    app.cli.add_command(kims_group)
    app.cli.add_command(users_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(fetch_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(monitor_group)
    app.cli.add_command(items_group)
    app.cli.add_command(aspirations_group)
    app.cli.add_command(notifications_group)


@click.group("aspirations", cls=AppGroup, help="Aspirations from the community.")
def aspirations_group():
    pass


@aspirations_group.command("remind")
def aspirations_remind():
    """Tell officers of their KIM's aspirations that turned late (the worker does it hourly)."""
    from flask import current_app

    from .aspirasi.notifications import remind_late
    from .monitoring.period import local_today
    made = remind_late(local_today(current_app.config["HUB_TIMEZONE"]))
    db.session.commit()
    click.echo(f"{made} notifications of late aspirations.")


@click.group("notifications", cls=AppGroup, help="Notifications in the hub.")
def notifications_group():
    pass


@notifications_group.command("email")
def notifications_email():
    """Send the e-mail digests of unread notifications now (HUB_SMTP_URL; the worker does it hourly)."""
    from .web.notifications import email_digests
    click.echo(f"{email_digests()} e-mail digests sent.")


@click.group("monitor", cls=AppGroup, help="The coordinators' dashboard: its daily rollup of the activity log.")
def monitor_group():
    pass


@monitor_group.command("rebuild")
def monitor_rebuild():
    """Recompute the daily rollup from the log (after a bulk load or a change of HUB_TIMEZONE)."""
    from .monitoring.rollup import rebuild
    rows = rebuild(current_app.config["HUB_TIMEZONE"])
    db.session.commit()
    click.echo(f"{rows} KIM-days written.")


@monitor_group.command("check")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
def monitor_check(start, end):
    """Compare the rollup with the raw log over a period; exit 1 when they differ."""
    from .monitoring.measures import rollup_differences
    from .monitoring.period import Period
    from .transactions import custom_plans
    custom_plans()
    period = Period(start.date(), end.date(), current_app.config["HUB_TIMEZONE"])
    wrong, checked = rollup_differences(period)
    if wrong:
        click.echo(f"The rollup and the log differ for {len(wrong)} KIMs (ids {wrong[:20]}); "
                   "run `flask monitor rebuild`.")
        sys.exit(1)
    click.echo(f"The rollup and the log are equal for {checked} KIMs.")


@click.group("kims", cls=AppGroup, help="Manage KIMs.")
def kims_group():
    pass


@kims_group.command("create")
@click.option("--slug", required=True, help="Short name used in addresses, e.g. tujuah-koto-talago.")
@click.option("--name", required=True)
@click.option("--nagari", required=True)
@click.option("--kecamatan", required=True)
@click.option("--kabupaten", default=None, help="Defaults to the hub's kabupaten.")
@click.option("--description", default="")
@click.option("--contact", default="")
@click.option("--website", default="")
def kims_create(slug, name, nagari, kecamatan, kabupaten, description, contact, website):
    """Create a KIM."""
    try:
        kim = kims.create_kim(slug=slug, name=name, nagari=nagari, kecamatan=kecamatan,
                              kabupaten=kabupaten or current_app.config["HUB_KABUPATEN"],
                              description=description, contact=contact, website=website)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"Created KIM {kim.slug} ({kim.name}, {kim.nagari}, {kim.kecamatan}).")


@kims_group.command("list")
def kims_list():
    """List KIMs."""
    for kim in db.session.scalars(kims.directory_query(include_inactive=True)):
        state = "" if kim.active else "  [inactive]"
        click.echo(f"{kim.slug:30} {kim.name:35} {kim.kecamatan}{state}")


@click.group("users", cls=AppGroup, help="Manage user accounts.")
def users_group():
    pass


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--kim", "kim_slug", default=None, help="Slug of a KIM to join.")
@click.option("--role", type=click.Choice(["anggota", "pengurus"]), default="anggota", show_default=True)
@click.option("--coordinator", "coordinator_kecamatan", default=None, metavar="KECAMATAN",
              help="Make the user coordinator of this kecamatan.")
@click.option("--coordinator-kabupaten", is_flag=True, help="Make the user coordinator of the kabupaten.")
@click.option("--admin", is_flag=True, help="Make the user a hub administrator.")
def users_create(email, name, password, kim_slug, role, coordinator_kecamatan, coordinator_kabupaten, admin):
    """Create a user, optionally in a KIM and with roles."""
    from .accounts import service as accounts  # (e-mail validation: not imported by every command)
    if coordinator_kecamatan and coordinator_kabupaten:
        raise click.UsageError("Use --coordinator or --coordinator-kabupaten, not both.")
    try:
        kim = kims.get_kim(kim_slug) if kim_slug else None
        user = accounts.create_user(email, name, password, is_admin=admin)
        if kim is not None:
            accounts.set_membership(user, kim, role, actor=None)
        if coordinator_kecamatan or coordinator_kabupaten:
            accounts.grant_coordinator(user, kabupaten=current_app.config["HUB_KABUPATEN"],
                                       kecamatan=coordinator_kecamatan, actor=None)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    roles = []
    if kim is not None:
        roles.append(f"{role} of {kim.slug}")
    if coordinator_kecamatan:
        roles.append(f"koordinator of kecamatan {coordinator_kecamatan}")
    if coordinator_kabupaten:
        roles.append(f"koordinator of kabupaten {current_app.config['HUB_KABUPATEN']}")
    if admin:
        roles.append("admin")
    click.echo(f"Created user {user.email}" + (f" ({', '.join(roles)})" if roles else "") + ".")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True,
              help="Do nothing (but print the demo logins) when the hub already has data.")
def demo_command(if_empty):
    """Load the demo network (Kabupaten Lima Puluh Kota) into an empty hub."""
    from . import demo
    if not demo.hub_is_empty():
        if if_empty:
            if demo.demo_loaded():
                demo.repoint_demo_feeds()
                demo.print_logins(click.echo)
            return
        click.echo("The hub already has data; the demo loads only into an empty hub.", err=True)
        sys.exit(1)
    summary = demo.load()
    click.echo(f"Demo network loaded: {summary['kims']} KIMs in {summary['kecamatan']} kecamatan, "
               f"{summary['users']} users.")
    demo.print_logins(click.echo)


@click.command("fetch")
@with_appcontext
@click.option("--all", "all_sources", is_flag=True, help="Every active source, due or not.")
@click.option("--source", "source_ids", type=int, multiple=True, help="Only this source (repeatable).")
@click.option("--processes", type=int, default=None, help="Parser processes (default: one per core).")
def fetch_command(all_sources, source_ids, processes):
    """Refresh due sources once, with a progress bar and a summary."""
    from .aggregation.worker import Refresher
    refresher = Refresher(current_app._get_current_object(), processes=processes)
    try:
        with click.progressbar(length=0, label="Mengambil umpan", show_pos=True) as bar:
            def progress(done, total):
                bar.length = total
                bar.update(done - bar.pos)
            summary = refresher.run_once(limit=100000, source_ids=list(source_ids) or None,
                                         due_only=not (all_sources or source_ids), progress=progress)
    finally:
        refresher.close()
    click.echo(summary.line())
    if summary.statuses:
        click.echo("HTTP: " + ", ".join(f"{k}={v}" for k, v in sorted(summary.statuses.items())))


@click.command("worker")
@with_appcontext
@click.option("--batch", type=int, default=200, show_default=True, help="Sources claimed per pass.")
@click.option("--processes", type=int, default=None, help="Parser processes (default: one per core).")
def worker_command(batch, processes):
    """Refresh feeds forever; SIGTERM stops it cleanly."""
    import logging

    from .aggregation.worker import Refresher, install_signal_handlers
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    refresher = Refresher(current_app._get_current_object(), processes=processes)
    refresher.start_parsers()
    install_signal_handlers(refresher)
    click.echo("Worker running; SIGTERM or Ctrl+C stops it.")
    try:
        refresher.run_forever(batch=batch)
    finally:
        refresher.close()
    click.echo("Worker stopped.")


items_group = AppGroup("items", help="Stored items.")


@items_group.command("prune")
@click.option("--days", type=int, default=None, help="Keep this many days (default: the admin's setting).")
def items_prune(days):
    """Delete old items of sources no KIM follows (never those a KIM shared, checked, flagged,
    disseminated, bookmarked or wrote about)."""
    from . import settings
    from .aggregation.retention import prune
    days = settings.get("retention_days") if days is None else days
    if days <= 0:
        click.echo("Retention is off (0 days): nothing is deleted.")
        return
    gone = prune(days, progress=lambda n: click.echo(f"... {n} deleted"))
    click.echo(f"{gone} items older than {days} days of unfollowed sources deleted.")
