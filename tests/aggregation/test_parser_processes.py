"""Spawned parser processes run their parent's __main__ again (multiprocessing's rule for spawn):
for `flask worker` that is the flask script, with Flask, Werkzeug and Click. The worker hides its
__main__ while it spawns them, so they import only what parsing needs, and puts it back."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, multiprocessing, sys
sys.path.insert(0, {root!r})
import flask  # noqa: F401  (as the flask script does)
from concurrent.futures import ProcessPoolExecutor
from hub.aggregation.worker import _main_left_out
from tests.aggregation.children import loaded

if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        plain = pool.submit(loaded).result()
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        with _main_left_out():
            answer = pool.submit(loaded)
        left_out = answer.result()
    main = sys.modules["__main__"]
    print(json.dumps([plain, left_out, main.__file__, main.__spec__ is None]))
"""


def test_parser_processes_do_not_import_the_command_that_spawned_them(tmp_path):
    script = tmp_path / "command.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    plain, left_out, main_file, spec_none = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"flask", "sqlalchemy"} <= set(plain)  # the rule this guards against, as it is
    assert left_out == []  # the worker's parsers: none of it
    assert main_file == str(script) and spec_none  # __main__ as it was
