"""WSGI entry point: `gunicorn wsgi:app`; the `flask` command loads it too (FLASK_APP=wsgi)."""
import gc

from hub import create_app

app = create_app()
# What start-up built lives as long as the process: kept out of every garbage collection from
# now on, the one at exit included (0.3-0.5 s at the end of every `flask` command here), and
# shared copy-on-write by forked workers.
gc.freeze()
