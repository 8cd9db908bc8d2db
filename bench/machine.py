"""What the benchmarks share about the machine: a real feed server (nginx), a free loopback port,
the peak memory of a whole process tree, the load average and how commands are timed."""
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path


def load_average():
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


NGINX_CONF = """
worker_processes 2;
daemon off;
master_process on;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    etag on;
    types {{ application/rss+xml xml; }}
    default_type application/octet-stream;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


class Nginx:
    """Debian's nginx (nginx-light) serving `root` on a loopback port, started and stopped here.
    It answers If-None-Match / If-Modified-Since with 304 like any real feed server."""

    def __init__(self, root, work):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(binary):
            raise SystemExit("nginx is not installed: apt-get install nginx-light")
        self.work = Path(work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        conf = self.work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=self.work, port=self.port, root=root))
        # nginx's workers run as an unprivileged user when started by root: let them read
        for path in (Path(root), Path(root).parent):  # mkdtemp makes its folder 0700
            path.chmod(0o755)
        self.process = subprocess.Popen([binary, "-p", str(self.work), "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_port(self.port)
        except RuntimeError:
            self.process.kill()
            raise SystemExit("nginx did not start: " + self.process.stderr.read().decode(errors="replace"))

    def pids(self):
        return tree_pids(self.process.pid)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _children_map():
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def tree_pids(root):
    children, pids, todo = _children_map(), [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, ()))
    return pids


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """User + system CPU seconds the processes `pids` have used so far (ended ones count 0)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


def pids_named(name):
    """The processes whose command name is `name` (e.g. every PostgreSQL backend)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == name:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def _rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Samples, every `interval` seconds, the resident memory of a process and all its
    descendants (summed), and keeps the peak. Processes in `exclude` (and theirs) are left out.
    The tree is found by reading all of /proc (2 ms here) only every `rescan` samples; between,
    the processes found are read alone, so that sampling takes ~1% of a core from the command
    it measures, not 10% (this machine has two)."""

    def __init__(self, root_pid, exclude=(), interval=0.02, rescan=10):
        self.root, self.exclude, self.interval, self.rescan = root_pid, set(exclude), interval, rescan
        self.peak_kb = 0
        self.peak_processes = 0
        self._tree = []
        self._samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def _find_tree(self):
        children, found, todo = _children_map(), [], [self.root]
        while todo:
            pid = todo.pop()
            if pid in self.exclude:
                continue
            found.append(pid)
            todo.extend(children.get(pid, ()))
        return found

    def sample(self, rescan=False):
        if rescan or self._samples % self.rescan == 0:
            self._tree = self._find_tree()
        self._samples += 1
        sizes = [_rss_kb(pid) for pid in self._tree]
        total, count = sum(sizes), sum(1 for size in sizes if size)
        if total > self.peak_kb:
            self.peak_kb, self.peak_processes = total, count

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample(rescan=True)

    @property
    def peak_mb(self):
        return self.peak_kb / 1024


def run_command(args, *, env=None, input=None, cwd=None):
    """Run a command to its end; returns (seconds of wall clock, peak MB of its whole process
    tree, its standard output). Raises if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=cwd, stdin=subprocess.PIPE if input else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(process.pid) as memory:
        out, err = process.communicate(input)
    elapsed = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({process.returncode}):\n{err[-3000:]}")
    return elapsed, memory.peak_mb, out


def settle(url):
    """What a live hub's database has after autovacuum passed: planner statistics and a visibility
    map. A table just filled has neither, and PostgreSQL then reads the heap for every index entry
    (the sidebar's counts took 3.7 ms instead of 2)."""
    import sqlalchemy
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
