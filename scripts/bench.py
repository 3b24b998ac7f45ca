#!/usr/bin/env python3
"""`make bench`: how fast the main pages render, as a ratio to the server's floor, at two scales.

Every page is measured uncached: the portal keeps no page in any cache, there is no Redis, and
wrk asks gunicorn directly. The public pages are measured a second time through nginx with the
microcache of ``deploy/nginx-microcache.conf``, as a deployment serves them. The report is
measured in-process (milliseconds per request through Django's WSGI handler).

For each scale: a fresh database (a SQLite file in a temporary directory, as ``make run`` uses,
or, when DATABASE_URL points at PostgreSQL, databases ``lw_bench_demo`` and ``lw_bench_5000`` on
that server, created and dropped here), the migrations, ``seed_demo`` (the small scale is the
demo as ``make run`` loads it) or ``seed_demo --scale N``, ``collectstatic``, then gunicorn with
production settings on 127.0.0.1 as ``make run`` starts it. Both scales' servers run side by
side and wrk alternates between them page by page (see ``measure``). The floor is a view that does
nothing but answer (``/bench/floor``, routed only with ``LW_BENCH_FLOOR=1``), through the same
middleware. Results: a table on stdout and bench-results/bench-<database>.json.
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NamedTuple

from harness import PY, ROOT, Gunicorn, django_env, free_port, manage

LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"socket_errors\\": %d, "
    .. "\\"status_errors\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d}\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(99)))
end
"""
STAFF_USER = ("staff", "lokal-willkommen-staff")
SEARCH = "Sprachcafé"
# (key, label, path or "url:<name>", kind); kind decides the budget.
PAGES = [
    ("floor", "floor (/bench/floor)", "/bench/floor", "floor"),
    ("home", "home /de/", "/de/", "public"),
    ("offices", "office list /de/offices/", "/de/offices/", "public"),
    ("office", "office page /de/offices/lanstrop/", "/de/offices/lanstrop/", "public"),
    ("directory", "directory /de/network/", "/de/network/", "public"),
    ("search", f"directory ?q={SEARCH}", "/de/network/?q=" + urllib.parse.quote(SEARCH), "public"),
    ("households", "staff: household list", "url:consultations-household-list", "staff"),
    ("dashboard", "staff: dashboard", "url:staff-dashboard", "staff"),
]
REPORT = ("report", "report (coordinator, in-process)", "url:consultations-reports")
BUDGET = {"public": 0.10, "cached": 0.5, "staff": 0.08}
REPORT_BUDGET_MS = 60.0
MAX_SLOWDOWN = 1.5


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def ensure(program: str, package: str) -> str | None:
    found = shutil.which(program) or (
        f"/usr/sbin/{program}" if Path(f"/usr/sbin/{program}").exists() else None
    )
    if found:
        return found
    log(f"installing {package} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env)
    return shutil.which(program) or (
        f"/usr/sbin/{program}" if Path(f"/usr/sbin/{program}").exists() else None
    )


class Database:
    """A fresh database per scale: SQLite in a temporary directory, or PostgreSQL."""

    def __init__(self, base_url: str, tmp: Path, name: str):
        self.base_url = base_url
        self.tmp = tmp
        self.name = name
        self.postgres = base_url.startswith(("postgres://", "postgresql://"))

    @property
    def url(self) -> str:
        if not self.postgres:
            return f"sqlite:///{self.tmp / (self.name + '.sqlite3')}"
        parts = urllib.parse.urlsplit(self.base_url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + self.name))

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = urllib.parse.urlsplit(self.base_url)
        maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> None:
        if self.postgres:
            self.drop()
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            (self.tmp / (self.name + ".sqlite3")).unlink(missing_ok=True)

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def resolve(env: dict, names: list[str]) -> dict:
    """URL names to paths (German prefix)."""
    code = (
        "import json, django; django.setup()\n"
        "from django.urls import reverse\n"
        "from django.utils import translation\n"
        "with translation.override('de'):\n"
        f"    print('RESOLVED ' + json.dumps({{n: reverse(n) for n in {names!r}}}))\n"
    )
    output = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env=env, check=True, text=True, capture_output=True
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESOLVED "))
    return json.loads(line[len("RESOLVED ") :])


# The servers -------------------------------------------------------------------------------


class Nginx:
    """nginx on a free port in front of gunicorn, with the deployment's microcache."""

    def __init__(self, nginx: str, upstream_port: int, tmp: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.dir = tmp / f"nginx-{self.port}"
        (self.dir / "cache").mkdir(parents=True)
        (self.dir / "logs").mkdir()
        config = self.dir / "nginx.conf"
        config.write_text(
            textwrap.dedent(
                f"""\
                daemon off;
                user root;
                worker_processes 1;
                pid {self.dir}/nginx.pid;
                error_log {self.dir}/logs/error.log warn;
                events {{ worker_connections 1024; }}
                http {{
                    access_log off;
                    client_body_temp_path {self.dir}/client;
                    proxy_temp_path {self.dir}/proxy;
                    fastcgi_temp_path {self.dir}/fastcgi;
                    uwsgi_temp_path {self.dir}/uwsgi;
                    scgi_temp_path {self.dir}/scgi;
                    proxy_cache_path {self.dir}/cache levels=1:2 keys_zone=lw_pages:10m
                                     max_size=200m inactive=10m use_temp_path=off;
                    upstream lokalwillkommen {{ server 127.0.0.1:{upstream_port}; keepalive 32; }}
                    server {{
                        listen 127.0.0.1:{self.port};
                        location / {{
                            proxy_pass http://lokalwillkommen;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host 127.0.0.1;
                            include {ROOT / "deploy" / "nginx-microcache.conf"};
                        }}
                    }}
                }}
                """
            )
        )
        self.proc = subprocess.Popen(
            [nginx, "-c", str(config), "-p", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=(self.dir / "logs" / "stderr.log").open("wb"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("nginx did not start: " + (self.dir / "logs" / "error.log").read_text())

    def cache_status(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.headers.get("X-Cache-Status", "")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def login(base: str, env: dict) -> str:
    """Log the demo staff user in through the forms (password, then the demo second factor);
    return the Cookie header value, or "" if that did not work."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post_form(url: str, html: str, fields: dict) -> tuple[str, str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", **fields}
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(data).encode(), headers={"Referer": url}
        )
        with opener.open(request, timeout=10) as response:
            return response.geturl(), response.read().decode(errors="replace")

    try:
        login_url = base + "/de/accounts/login/"
        with opener.open(login_url, timeout=10) as response:
            html = response.read().decode(errors="replace")
        url, html = post_form(
            login_url, html, {"username": STAFF_USER[0], "password": STAFF_USER[1]}
        )
        if "second-factor" in url:
            code = manage(env, "demo_totp", STAFF_USER[0]).strip()
            url, html = post_form(url, html, {"code": code})
    except (urllib.error.URLError, OSError, RuntimeError) as exc:
        log(f"login failed: {exc}")
        return ""
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies or "/accounts/" in urllib.parse.urlsplit(url).path:
        log(f"login did not succeed (ended at {url})")
        return ""
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def check_page(base: str, path: str, cookie: str) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


# wrk ---------------------------------------------------------------------------------------


def _wrk_once(wrk: str, lua: Path, url: str, cookie: str, args) -> dict:
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    command += ["--latency", "-s", str(lua)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCHJSON "))
    data = json.loads(line[len("BENCHJSON ") :])
    seconds = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": data["requests"] / seconds if seconds else 0.0,
        "p50_ms": data["p50_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": data["socket_errors"] + data["status_errors"],
    }


def _best(runs: list, floors: list) -> dict:
    """The best run of the page and the best of the floor's runs next to them; the ratio is
    best page over best floor. Interference only ever slows a run down (a neighbour on the
    machine), as ``timeit`` takes the best of its repeats."""
    best = max(runs, key=lambda r: r["rps"])
    result = {
        **best,
        "errors": sum(run["errors"] for run in runs),
        "runs_rps": [round(run["rps"]) for run in runs],
    }
    if floors:
        best_floor = max(f["rps"] for f in floors)
        result["floor_rps"] = best_floor
        result["floor_runs_rps"] = [round(f["rps"]) for f in floors]
        result["ratio"] = best["rps"] / best_floor if best_floor else None
    return result


REPORT_CODE = """
import io, json, sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
user = get_user_model().objects.get(username="coordinator")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "lokalwillkommen.accounts.RolesModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
session["lw_login_at"] = session["lw_last_seen"] = time.time()
session.create()
app = WSGIHandler()
def call(path):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
               "REMOTE_ADDR": "127.0.0.1", "HTTP_COOKIE": f"sessionid={session.session_key}"}
    status = []
    body = b"".join(app(environ, lambda s, h, exc=None: status.append(s)))
    assert status[0].startswith("200"), status
    return body
path = sys.argv[1]
for _ in range(3):
    call(path)
batches = []
for _ in range(5):
    start = time.perf_counter()
    for _ in range(5):
        call(path)
    batches.append((time.perf_counter() - start) / 5 * 1000)
print("REPORTMS " + json.dumps({"best_ms": min(batches), "batches_ms": batches}))
"""


def report_in_process(env: dict, path: str) -> dict:
    output = subprocess.run(
        [PY, "-c", REPORT_CODE, path], cwd=ROOT, env=env, check=True, text=True,
        capture_output=True,
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("REPORTMS "))
    return json.loads(line[len("REPORTMS ") :])


# One scale ----------------------------------------------------------------------------------


class Scale:
    """One scale, ready to measure: its database (migrated and seeded), gunicorn, nginx in
    front of it, the staff session and the pages' addresses."""

    def __init__(self, scale: int, args, tools: dict, tmp: Path):
        self.scale, self.name = scale, str(scale or "demo")
        base_url = os.environ.get("DATABASE_URL", "").strip()
        self.database = Database(base_url, tmp, f"{args.db_name}_{self.name}")
        self.database.create()
        self.env = django_env(
            self.database.url, "", secrets.token_urlsafe(50), LW_BENCH_FLOOR="1"
        )
        self.server = self.proxy = None
        self.rows: dict = {}
        started = time.monotonic()
        manage(self.env, "migrate", "--noinput", "-v", "0")
        manage(self.env, "seed_demo", *(["--scale", str(scale)] if scale else []))
        log(f"scale {self.name}: database ready in {time.monotonic() - started:.0f} s")
        self.names = resolve(
            self.env, ["consultations-household-list", "staff-dashboard", REPORT[2][4:]]
        )
        self.server = Gunicorn(self.env, workers=args.workers, threads=args.gthreads, logdir=tmp)
        self.server.wait_ready()
        if tools.get("nginx"):
            self.proxy = Nginx(tools["nginx"], self.server.port, tmp)
        self.cookie = login(self.server.base, self.env)

    def path(self, target: str) -> str:
        return self.names[target[4:]] if target.startswith("url:") else target

    def stop_servers(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        if self.server is not None:
            self.server.stop()

    def drop(self, args) -> None:
        if not args.keep:
            self.database.drop()


class Target(NamedTuple):
    """One row of one scale: what wrk asks, next to which floor, reported under which key."""

    scale: Scale
    url: str
    cookie: str
    floor: str | None
    key: str
    label: str
    kind: str


def measure(scales: list[Scale], args, tools: dict, lua: Path) -> None:
    """Every page at every scale. The scales' servers run side by side and each page's runs
    alternate between them (small, large, small, …, each right after a run of the floor of
    the same server): both scales are measured at the same time on the same machine, so a
    machine that gets slower or faster meanwhile (a shared virtual machine) changes both,
    not their ratio."""
    for key, label, target, kind in PAGES:
        targets = []
        for scale in scales:
            cookie = scale.cookie if kind == "staff" else ""
            if kind == "staff" and not cookie:
                log(f"scale {scale.name}: {label}: no staff session, skipped")
                continue
            path = scale.path(target)
            status = check_page(scale.server.base, path, cookie)
            if status != 200:
                log(f"scale {scale.name}: {label}: answers {status}, skipped")
                continue
            floor = None if kind == "floor" else scale.server.base + "/bench/floor"
            targets.append(Target(scale, scale.server.base + path, cookie, floor, key, label, kind))
        _measure_alternately(targets, tools, lua, args)
        if kind != "public":
            continue
        cached, hits = [], {}
        for t in targets:
            if t.scale.proxy is None:
                continue
            path = t.scale.path(target)
            check_page(t.scale.proxy.base, path, "")
            hit = hits[t.scale.name] = t.scale.proxy.cache_status(path)
            cached.append(t._replace(url=t.scale.proxy.base + path, key=key + "_cached",
                                     label=f"{label} (nginx, {hit})", kind="cached"))  # fmt: skip
        _measure_alternately(cached, tools, lua, args)
        for t in cached:
            row = t.scale.rows.get(t.key)
            if row:
                row.update(label="  the same through the nginx microcache",
                           cache_status=hits[t.scale.name])  # fmt: skip


def _measure_alternately(targets: list[Target], tools: dict, lua: Path, args) -> None:
    for t in targets:  # warm up: compile, connect, prepare
        subprocess.run(
            [tools["wrk"], "-t1", "-c4", "-d1s",
             *(["-H", f"Cookie: {t.cookie}"] if t.cookie else []), t.url],
            check=True, capture_output=True,
        )  # fmt: skip
    runs = [([], []) for _ in targets]  # (the page's runs, the floor's runs) of each target
    for _ in range(args.repeat):
        for t, (pages, floors) in zip(targets, runs, strict=True):
            if t.floor:
                time.sleep(0.3)
                floors.append(_wrk_once(tools["wrk"], lua, t.floor, "", args))
            time.sleep(0.3)
            pages.append(_wrk_once(tools["wrk"], lua, t.url, t.cookie, args))
    for t, (pages, floors) in zip(targets, runs, strict=True):
        result = _best(pages, floors)
        t.scale.rows[t.key] = {"label": t.label, "path": urllib.parse.urlsplit(t.url).path,
                               "kind": t.kind, **result}  # fmt: skip
        _log_row(t.scale.scale, t.label, result)


def _log_row(scale, label, result) -> None:
    log(
        f"scale {scale or 'demo'}: {label}: {result['rps']:.0f} req/s, p99 "
        f"{result['p99_ms']:.1f} ms (runs {result['runs_rps']}, "
        f"floor {result.get('floor_runs_rps', '-')})"
    )


# Summary ------------------------------------------------------------------------------------


def row_order():
    for key, _label, _target, kind in PAGES:
        yield key, kind
        if kind == "public":
            yield key + "_cached", "cached"
    yield "report", "report"


def summarise(results: dict, args, db_kind: str) -> dict:
    small, large = args.small, args.large
    pages, verdicts = [], []
    for key, kind in row_order():
        a, b = results[small].get(key), results[large].get(key)
        if not a and not b:
            continue
        if kind == "report":
            slowdown = b["best_ms"] / a["best_ms"] if a and b and a["best_ms"] else None
        else:
            slowdown = a["rps"] / b["rps"] if a and b and b["rps"] else None
        ok = None
        if kind in BUDGET or kind == "report":
            ok = True
            for row in (a, b):
                if not row:
                    ok = False
                elif kind == "report":
                    ok = ok and row["best_ms"] <= REPORT_BUDGET_MS
                else:
                    ok = ok and (row["ratio"] or 0) >= BUDGET[kind] and not row["errors"]
            if kind != "cached" and (slowdown is None or slowdown > MAX_SLOWDOWN):
                ok = False
            verdicts.append(ok)
        label = (a or b)["label"]
        pages.append({"page": key, "label": label, "kind": kind, "slowdown": slowdown,
                      "small": a, "large": b, "budget_met": ok})  # fmt: skip
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "database": db_kind,
        "cache": "none (uncached rows); nginx microcache (cached rows)",
        "scales": {"small": small or "demo", "large": large},
        "wrk": {"threads": args.threads, "connections": args.connections,
                "seconds": args.duration, "runs_per_page": args.repeat},  # fmt: skip
        "gunicorn": {"workers": args.workers, "threads": args.gthreads},
        "budget": {**{f"{k}_min_ratio": v for k, v in BUDGET.items()},
                   "report_max_ms": REPORT_BUDGET_MS,
                   "max_large_over_small_slowdown": MAX_SLOWDOWN},  # fmt: skip
        "pages": pages,
        "budget_met": bool(verdicts) and all(verdicts),
        "cores": os.cpu_count(),
    }


def print_table(report: dict) -> None:
    small, large = report["scales"]["small"], report["scales"]["large"]
    print()
    print(
        f"Benchmark: {report['database']}, no cache (nginx microcache on the 'cached' rows), "
        f"gunicorn {report['gunicorn']['workers']}x{report['gunicorn']['threads']}, "
        f"wrk -t{report['wrk']['threads']} -c{report['wrk']['connections']} "
        f"-d{report['wrk']['seconds']}s, best of {report['wrk']['runs_per_page']} runs, "
        f"{report['cores']} cores"
    )
    header = (
        f"{'page':<40} {'scale':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'/floor':>7} {'errors':>6} {'large/small':>11} {'budget':>7}"
    )
    print(header)
    print("-" * len(header))
    for page in report["pages"]:
        for scale, row in ((small, page["small"]), (large, page["large"])):
            last = scale == large
            verdict = ""
            if last and page["budget_met"] is not None:
                verdict = "ok" if page["budget_met"] else "MISSED"
            slowdown = f"{page['slowdown']:.2f}x" if last and page["slowdown"] else ""
            if not row:
                print(f"{page['label']:<40} {scale!s:>6} {'(not measured)':>30}")
            elif page["kind"] == "report":
                print(
                    f"{page['label']:<40} {scale!s:>6} {row['best_ms']:>7.1f} ms per request"
                    f"{'':>20} {slowdown:>11} {verdict:>7}".rstrip()
                )
            else:
                ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
                print(
                    f"{page['label']:<40} {scale!s:>6} {row['rps']:>7.0f} {row['p50_ms']:>7.1f} "
                    f"{row['p99_ms']:>7.1f} {ratio:>7} {row['errors']:>6} {slowdown:>11} "
                    f"{verdict:>7}".rstrip()
                )
    print()
    print(
        "Budget: uncached public pages >= 0.10 of the floor, staff pages >= 0.08, cached public "
        "pages >= 0.5, the report <= 60 ms per request in-process, large scale <= 1.5x slower "
        "than small (uncached rows and report), no errors: "
        + ("MET" if report["budget_met"] else "NOT MET")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=0, help="0: the demo as `make run` loads it")
    parser.add_argument("--large", type=int, default=5000, help="households at the large scale")
    parser.add_argument("--duration", type=int, default=4, help="seconds of wrk per run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per page (best counts)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (as make run)")
    parser.add_argument("--gthreads", type=int, default=4, help="gunicorn threads (as make run)")
    parser.add_argument("--db-name", default="lw_bench", help="PostgreSQL databases: prefix")
    parser.add_argument("--no-nginx", action="store_true", help="skip the cached rows")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--output", default="", help="JSON file (default bench-results/...)")
    args = parser.parse_args()

    tools = {"wrk": ensure("wrk", "wrk")}
    if not tools["wrk"]:
        sys.exit("wrk could not be installed")
    if not args.no_nginx:
        tools["nginx"] = ensure("nginx", "nginx-light")
        if not tools["nginx"]:
            log("nginx could not be installed: the cached rows are left out")
    postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    db_kind = "PostgreSQL" if postgres else "SQLite"
    log(f"database: {db_kind}; no Redis, no page cache; nginx: {tools.get('nginx') or 'none'}")
    env = django_env("sqlite:///unused.sqlite3", "", "collectstatic-only")
    manage(env, "collectstatic", "--noinput", "-v", "0")

    with tempfile.TemporaryDirectory(prefix="lw-bench-") as tmpdir:
        tmp = Path(tmpdir)
        lua = tmp / "done.lua"
        lua.write_text(LUA_DONE)
        scales: list[Scale] = []
        try:
            for size in (args.small, args.large):
                scales.append(Scale(size, args, tools, tmp))
            measure(scales, args, tools, lua)
            for scale in scales:
                scale.stop_servers()
            reports: dict = {scale.name: [] for scale in scales}
            for _ in range(2):  # alternately, as the pages
                for scale in scales:
                    reports[scale.name].append(
                        report_in_process(scale.env, scale.names[REPORT[2][4:]])
                    )
            for scale in scales:
                found = reports[scale.name]
                report = {"best_ms": min(r["best_ms"] for r in found),
                          "batches_ms": [ms for r in found for ms in r["batches_ms"]]}  # fmt: skip
                scale.rows["report"] = {"label": REPORT[1], "kind": "report", **report}
                log(f"scale {scale.name}: report {report['best_ms']:.1f} ms per request "
                    "in-process")  # fmt: skip
        finally:
            for scale in scales:
                scale.stop_servers()
                scale.drop(args)
        results = {scale.scale: scale.rows for scale in scales}

    report = summarise(results, args, db_kind)
    output = Path(args.output or ROOT / "bench-results" / f"bench-{db_kind.lower()}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print_table(report)
    log(f"written: {output}")
    return 0 if report["budget_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
