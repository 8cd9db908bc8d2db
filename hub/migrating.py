"""Flask-Migrate, bound lazily: importing it imports Alembic (0.2-0.4 s), which only a command
that migrates needs, not every web process or `flask fetch`."""
import click


def init_app(app, db, **options):
    """What Migrate(app, db, **options) does, at the first use: `flask db ...`, or
    flask_migrate's functions (upgrade(), ...) reading app.extensions['migrate']."""
    app.extensions["migrate"] = _Pending(app, db, options)
    app.cli.add_command(_Commands(app, db, options))


def _bind(app, db, options):
    if not isinstance(app.extensions.get("migrate"), _Pending):
        return app.extensions["migrate"]
    from flask_migrate import Migrate
    Migrate().init_app(app, db, **options)  # replaces the placeholder, adds the real `db` group
    return app.extensions["migrate"]


class _Pending:
    """app.extensions['migrate'] until something reads it; then the real one takes its place."""

    def __init__(self, app, db, options):
        self._args = (app, db, options)

    def __getattr__(self, name):
        return getattr(_bind(*self._args), name)


class _Commands(click.Group):
    """`flask db`: Flask-Migrate's command group, imported when it is run."""

    def __init__(self, app, db, options):
        super().__init__("db", help="Perform database migrations.")
        self._args = (app, db, options)

    def _real(self):
        _bind(*self._args)
        from flask_migrate.cli import db as commands
        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        # the real group parses its own options (--directory, -x) and runs its subcommands
        return self._real().make_context(info_name, args, parent=parent, **extra)
