"""The baseline the refresh benchmark compares the hub with: a plain requests + feedparser loop,
as anyone would write it, polite (ETag and Last-Modified sent back), sequential or with threads.

    python bench/feedloop.py URLS_FILE STATE_FILE [--threads 16]

One pass over the URLs: fetches each (conditionally when STATE_FILE holds its validators), parses
every 200 with feedparser, writes the validators back and prints a JSON line (the loop's own
seconds, entries parsed, HTTP statuses). Timed from outside, its start-up counts too.
"""
import argparse
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import feedparser
import requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("urls")
    parser.add_argument("state")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    with open(args.urls) as f:
        urls = json.load(f)
    validators = {}
    if os.path.exists(args.state):
        with open(args.state) as f:
            validators = json.load(f)
    local = threading.local()
    lock = threading.Lock()
    totals = {"entries": 0, "statuses": {}}
    new_validators = {}

    def one(url):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        headers = {}
        etag, modified = validators.get(url, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        response = session.get(url, headers=headers, timeout=20)
        entries = len(feedparser.parse(response.content).entries) if response.status_code == 200 else 0
        with lock:
            totals["entries"] += entries
            key = str(response.status_code)
            totals["statuses"][key] = totals["statuses"].get(key, 0) + 1
            new_validators[url] = (response.headers.get("ETag") or etag, response.headers.get("Last-Modified")
                                   or modified)

    start = time.perf_counter()
    if args.threads > 1:
        with ThreadPoolExecutor(args.threads) as pool:
            list(pool.map(one, urls))
    else:
        for url in urls:
            one(url)
    elapsed = time.perf_counter() - start
    with open(args.state, "w") as f:
        json.dump(new_validators, f)
    print(json.dumps({"loop_seconds": elapsed, **totals}))


if __name__ == "__main__":
    main()
