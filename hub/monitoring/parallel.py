"""Independent read-only queries of one answer, run at once.

A kabupaten's year on the dashboard is a handful of queries that each read 10^5 rows (the waits
of every exchange seen, the shares per item, the rollups): one after another they add up; on
their own connections they overlap (both SQLite and psycopg let other threads run while the
database works). Each job gets its own app context, hence its own session, and the caller's
context variables (the clock tests set). Jobs return plain values, never ORM objects, and run on
plans made for their values (hub.transactions.custom_plans).
"""
import contextvars
from concurrent.futures import ThreadPoolExecutor

from flask import current_app

from ..extensions import db
from ..transactions import custom_plans


def run(background, foreground=None):
    """Run the `background` jobs ({name: callable}) on threads while `foreground` (a callable,
    in this thread and session) runs; returns ({name: result}, foreground's result)."""
    app = current_app._get_current_object()

    def call(job):
        with app.app_context():
            try:
                custom_plans()  # a period of a day or of a year: plans for the values at hand
                return job()
            finally:
                db.session.remove()
    with ThreadPoolExecutor(max_workers=len(background) or 1) as pool:
        futures = {name: pool.submit(contextvars.copy_context().run, call, job) for name, job in background.items()}
        here = foreground() if foreground else None
        return {name: future.result() for name, future in futures.items()}, here
