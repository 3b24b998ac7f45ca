#!/usr/bin/env python3
"""Load and failure: the portal under concurrent load, with its database going away.

1. Load: CLIENTS threads for SECONDS against gunicorn on 127.0.0.1 — public pages and the
   volunteer and suggestion forms (CSRF cookie, one-time token, consent). Passes when no
   answer is a 5xx, no request takes longer than the timeout, and every accepted submission
   (a redirect to the thanks page) is in the database afterwards.
2. Two gunicorn instances on two ports against the same database (and cache): a login on one
   is valid on the other; a suggestion sent to one is in the staff list of the other.
3. The database stopped in the middle of a load (only with a private PostgreSQL instance that
   this script starts itself, never the shared server): pages answer 503 in the layout,
   /healthz answers 503, no request hangs beyond the timeout, no half-written record exists;
   after the database is back, the same gunicorn processes (same PIDs) answer 200 again.

Database: a private PostgreSQL cluster (initdb, on a free port, in a temporary directory) when
running as root or postgres with PostgreSQL's binaries installed, else a database
``lw_load`` on the server of DATABASE_URL (and step 3 is skipped), else SQLite (step 3 skipped).
Exit status 0 when every check passed; a summary is printed, and written as JSON with --json.
"""

import argparse
import http.cookiejar
import json
import os
import pwd
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from harness import PY, ROOT, Gunicorn, django_env, free_port, local_redis_url, manage

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PUBLIC_PAGES = [
    "/de/",
    "/ar/",
    "/de/offices/",
    "/de/offices/lanstrop/",
    "/de/network/",
    "/de/network/?q=Sprach",
    "/uk/network/?show=organisations",
]
LAYOUT_MARKER = "<html"
COORDINATOR = ("coordinator", "lokal-willkommen-coordinator")


def log(message: str) -> None:
    print(f"[load] {message}", flush=True)


# Databases ---------------------------------------------------------------------------------


class PrivatePostgres:
    """A throw-away PostgreSQL cluster owned by the postgres user, on its own port."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="lw-load-pg-"))
        self.data = self.dir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}/lw_load"

    @staticmethod
    def possible() -> bool:
        if not (PG_BIN / "initdb").exists():
            return False
        return os.geteuid() == 0 or pwd.getpwuid(os.geteuid()).pw_name == "postgres"

    def _as_postgres(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, check=check, capture_output=True, text=True, cwd="/")

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8",
        )  # fmt: skip
        self.start()
        self._as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "lw_load"
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.dir / "log"), "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False
        )

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class SharedDatabase:
    """A database of its own on the shared server (never stopped), or a SQLite file."""

    def __init__(self, base_url: str, tmp: Path):
        self.base_url = base_url
        self.postgres = base_url.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            parts = urllib.parse.urlsplit(base_url)
            self.url = urllib.parse.urlunsplit(parts._replace(path="/lw_load"))
        else:
            self.url = f"sqlite:///{tmp / 'load.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = urllib.parse.urlsplit(self.base_url)
        with psycopg.connect(
            urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True
        ) as conn:
            conn.execute(sql)

    def init(self) -> None:
        if self.postgres:
            self._admin('DROP DATABASE IF EXISTS "lw_load" WITH (FORCE)')
            self._admin('CREATE DATABASE "lw_load"')

    def destroy(self) -> None:
        if self.postgres:
            self._admin('DROP DATABASE IF EXISTS "lw_load" WITH (FORCE)')


# HTTP --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener_with(jar: http.cookiejar.CookieJar | None = None):
    handlers = [_NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def fetch(url: str, *, data: dict | None = None, opener=None, timeout: float = 10, headers=None):
    """(status, body, location); status 0 when the request failed or timed out."""
    opener = opener or opener_with()
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Referer": url, **(headers or {})})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace"), ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")
    except (urllib.error.URLError, OSError) as exc:
        return 0, str(exc), ""


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _first_option(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    if select:
        values = [v for v in re.findall(r'<option value="([^"]*)"', select.group(0)) if v]
        return values[0] if values else ""
    checkbox = re.search(rf'name="{name}" value="([^"]+)"', html)
    return checkbox.group(1) if checkbox else ""


def volunteer_data(html: str, n: str) -> dict:
    return {
        "csrfmiddlewaretoken": _csrf(html),
        "token": str(uuid.uuid4()),
        "name": f"Lasttest {n}",
        "email": f"load-{n}@example.org",
        "district": _first_option(html, "district"),
        "languages": [_first_option(html, "languages")],
        "availability": "dienstags",
        "consent": "on",
    }


def suggestion_data(html: str, n: str) -> dict:
    return {
        "csrfmiddlewaretoken": _csrf(html),
        "token": str(uuid.uuid4()),
        "topic": "Lasttest",
        "text": f"Vorschlag {n}: mehr Sprachcafés am Abend.",
    }


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: dict[int, int] = {}
        self.slowest = 0.0
        self.too_slow = 0
        self.accepted: dict[str, list[str]] = {"volunteer": [], "suggestion": []}
        self.samples_5xx: list[str] = []

    def record(self, status: int, seconds: float, timeout: float, url: str) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.slowest = max(self.slowest, seconds)
            if seconds > timeout:
                self.too_slow += 1
            if (
                status >= 500
                and (status != 503 or not self.samples_5xx)
                and len(self.samples_5xx) < 8
            ):
                self.samples_5xx.append(f"{status} {url}")

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def count(self, predicate) -> int:
        return sum(n for status, n in self.statuses.items() if predicate(status))


def client_loop(bases: list[str], stop_at: float, tally: Tally, timeout: float, seed: int):
    rng = random.Random(seed)
    jar = http.cookiejar.CookieJar()
    opener = opener_with(jar)
    n = 0
    while time.monotonic() < stop_at:
        base = rng.choice(bases)
        n += 1
        roll = rng.random()
        if roll < 0.7:
            url = base + rng.choice(PUBLIC_PAGES)
            started = time.monotonic()
            status, _body, _ = fetch(url, opener=opener, timeout=timeout)
            tally.record(status, time.monotonic() - started, timeout, url)
            continue
        kind = "volunteer" if roll < 0.85 else "suggestion"
        url = f"{base}/de/network/{'volunteer' if kind == 'volunteer' else 'suggestions'}/"
        started = time.monotonic()
        status, html, _ = fetch(url, opener=opener, timeout=timeout)
        tally.record(status, time.monotonic() - started, timeout, url)
        if status != 200:
            continue
        name = f"{seed}-{n}"
        data = volunteer_data(html, name) if kind == "volunteer" else suggestion_data(html, name)
        started = time.monotonic()
        status, _body, location = fetch(url, data=data, opener=opener, timeout=timeout)
        tally.record(status, time.monotonic() - started, timeout, url + " POST")
        if status == 302 and "/thanks/" in location:
            with tally.lock:
                tally.accepted[kind].append(data["token"])


def run_clients(bases, clients: int, seconds: float, timeout: float, during=None) -> Tally:
    tally = Tally()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(bases, stop_at, tally, timeout, i), daemon=True)
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    if during is not None:
        during()
    for thread in threads:
        thread.join(timeout=seconds + 3 * timeout)
    if any(thread.is_alive() for thread in threads):
        tally.too_slow += 1
    return tally


CHECK_SUBMISSIONS = """
import json, sys
import django
django.setup()
from network.models import Suggestion, VolunteerRegistration
tokens = json.load(sys.stdin)
def stored(model):
    return {str(t) for t in model.objects.values_list("submission_token", flat=True)}
stored_v, stored_s = stored(VolunteerRegistration), stored(Suggestion)
half = VolunteerRegistration.objects.filter(name__startswith="Lasttest", languages=None).count()
print("RESULT " + json.dumps({
    "missing_volunteers": len(set(tokens["volunteer"]) - stored_v),
    "missing_suggestions": len(set(tokens["suggestion"]) - stored_s),
    "volunteers_without_languages": half,
    "volunteers": VolunteerRegistration.objects.count(),
    "suggestions": Suggestion.objects.count(),
}))
"""


def check_submissions(env: dict, tally: Tally) -> dict:
    output = subprocess.run(
        [PY, "-c", CHECK_SUBMISSIONS],
        cwd=ROOT,
        env=env,
        input=json.dumps(tally.accepted),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(next(x for x in output.splitlines() if x.startswith("RESULT "))[7:])


def login(base: str, env: dict, user: tuple[str, str]):
    """Log in through the forms (password, then the demo second factor); the opener's jar."""
    jar = http.cookiejar.CookieJar()
    opener = opener_with(jar)
    url = base + "/de/accounts/login/"
    _status, html, _ = fetch(url, opener=opener)
    data = {"csrfmiddlewaretoken": _csrf(html), "username": user[0], "password": user[1]}
    status, _html, location = fetch(url, data=data, opener=opener)
    for _hop in range(5):
        if status != 302:
            break
        url = urllib.parse.urljoin(base, location)
        if "second-factor" not in location:
            status, _html, location = fetch(url, opener=opener)
            continue
        _status, html, _ = fetch(url, opener=opener)
        code = manage(env, "demo_totp", user[0]).strip()
        status, _html, location = fetch(
            url, data={"csrfmiddlewaretoken": _csrf(html), "code": code}, opener=opener
        )
        break
    return jar, status, location


# The checks --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=10, help="no request may take longer")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pg-port", type=int, default=0, help="0: any free port")
    parser.add_argument("--no-private-postgres", action="store_true")
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--keep-logs", action="store_true", help="keep gunicorn's logs on failure")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lw-load-"))
    private = not args.no_private_postgres and PrivatePostgres.possible()
    database = (
        PrivatePostgres(args.pg_port or free_port())
        if private
        else SharedDatabase(os.environ.get("DATABASE_URL", "").strip(), tmp)
    )
    cache_url = local_redis_url(no_redis=args.no_redis, database=14)
    # Every client comes from 127.0.0.1: lift the per-address limit of the public forms.
    env = django_env(
        database.url, cache_url, secrets.token_urlsafe(50), LW_NETWORK_RATE_LIMIT="1000000/3600"
    )
    results: dict = {"database": "private PostgreSQL" if private else database.url.split(":")[0]}
    results["cache"] = "redis" if cache_url else "none"
    failures: list[str] = []
    servers: list[Gunicorn] = []

    def expect(condition: bool, message: str) -> None:
        log(("ok   " if condition else "FAIL ") + message)
        if not condition:
            failures.append(message)

    try:
        started = time.monotonic()
        database.init()
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        log(f"database {results['database']}, cache {results['cache']}: ready in "
            f"{time.monotonic() - started:.0f} s")  # fmt: skip
        a = Gunicorn(env, workers=args.workers, threads=args.threads, logdir=tmp)
        b = Gunicorn(env, workers=args.workers, threads=args.threads, logdir=tmp)
        servers += [a, b]
        a.wait_ready()
        b.wait_ready()

        # 1. Load on both instances.
        tally = run_clients([a.base, b.base], args.clients, args.seconds, args.timeout)
        stored = check_submissions(env, tally)
        results["load"] = {
            "requests": tally.total,
            "statuses": tally.statuses,
            "slowest_s": round(tally.slowest, 2),
            "accepted": {k: len(v) for k, v in tally.accepted.items()},
            **stored,
        }
        log(f"load: {json.dumps(results['load'])}")
        expect(tally.total > 0, f"{args.clients} clients made {tally.total} requests")
        expect(
            tally.count(lambda s: s >= 500) == 0,
            f"no 5xx under load {tally.samples_5xx or ''}".strip(),
        )
        expect(tally.count(lambda s: s == 0) == 0, "no request failed or timed out")
        expect(tally.too_slow == 0, f"no request took longer than {args.timeout:.0f} s")
        expect(sum(len(v) for v in tally.accepted.values()) > 0, "some submissions were accepted")
        expect(
            stored["missing_volunteers"] == 0 and stored["missing_suggestions"] == 0,
            "every accepted submission is in the database",
        )
        expect(stored["volunteers_without_languages"] == 0, "no half-written volunteer")

        # 2. Two instances, one database and cache.
        jar, status, location = login(a.base, env, COORDINATOR)
        staff_url = "/de/staff/network/suggestions/"
        opener = opener_with(jar)
        status_b, html_b, _ = fetch(b.base + staff_url, opener=opener)
        expect(
            status_b == 200,
            f"a login on instance A is valid on instance B ({status}->{location}, B {status_b})",
        )
        text = f"Zwei-Server-Test {uuid.uuid4().hex[:8]}"
        anonymous = opener_with(http.cookiejar.CookieJar())
        _s, form_html, _ = fetch(a.base + "/de/network/suggestions/", opener=anonymous)
        data = {**suggestion_data(form_html, "x"), "text": text}
        status, _, _ = fetch(a.base + "/de/network/suggestions/", data=data, opener=anonymous)
        _s, html_b, _ = fetch(b.base + staff_url, opener=opener)
        expect(status == 302 and text in html_b, "a suggestion sent to A is listed on B")

        # ... and an offer published on A shows at once on B (no page is kept by the app servers).
        search = "/de/network/?q=Nachhilfe"
        _s, before, _ = fetch(b.base + search)
        _s, queue, _ = fetch(a.base + "/de/staff/network/moderation/", opener=opener)
        action = re.search(r'action="(/de/staff/network/offers/\d+/publish/)"', queue)
        if action:
            fetch(
                a.base + action.group(1), data={"csrfmiddlewaretoken": _csrf(queue)}, opener=opener
            )
        _s, after, _ = fetch(b.base + search)
        expect(
            action is not None
            and "Nachhilfe Mathematik" not in before
            and "Nachhilfe Mathematik" in after,
            "an offer published on A is in B's directory at once",
        )

        # 3. The database goes away in the middle of a load, and comes back.
        if not private:
            log("skip the database stop: no private PostgreSQL instance (never stop a shared one)")
            results["outage"] = "skipped"
        else:
            results["outage"] = outage(args, env, database, a, b, opener, expect)
    except Exception as exc:  # noqa: BLE001
        failures.append(f"{exc.__class__.__name__}: {exc}")
        log(f"FAIL {exc.__class__.__name__}: {exc}")
    finally:
        for server in servers:
            server.stop()
        database.destroy()
        if failures and args.keep_logs:
            log(f"gunicorn logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    results["failures"] = failures
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    log("PASSED" if not failures else f"FAILED: {len(failures)} check(s)")
    return 0 if not failures else 1


def outage(args, env, database: PrivatePostgres, a: Gunicorn, b: Gunicorn, staff, expect):
    pids_before = (a.pids(), b.pids())
    observed: dict = {}

    def stop_and_probe():
        time.sleep(min(2.0, args.seconds / 3))
        database.stop()
        stopped = time.monotonic()
        probes = {}
        for base in (a.base, b.base):
            for path in ("/healthz", "/de/network/volunteer/", "/de/network/?utm_source=x"):
                t = time.monotonic()
                status, body, _ = fetch(base + path, timeout=args.timeout)
                probes[f"{base[-5:]}{path}"] = (status, round(time.monotonic() - t, 2), body)
            t = time.monotonic()
            status, body, _ = fetch(base + "/de/staff/network/suggestions/", opener=staff)
            probes[f"{base[-5:]} staff"] = (status, round(time.monotonic() - t, 2), body)
        observed["probes"] = probes
        observed["stopped_for"] = time.monotonic() - stopped

    tally = run_clients(
        [a.base, b.base], max(5, args.clients // 2), args.seconds, args.timeout, stop_and_probe
    )
    probes = observed["probes"]
    healthz = [v for k, v in probes.items() if k.endswith("/healthz")]
    public = [v for k, v in probes.items() if "/de/" in k]
    staff_pages = [v for k, v in probes.items() if k.endswith("staff")]
    expect(all(s == 503 for s, _t, _b in healthz), "/healthz answers 503 without the database")
    for label, answers in (("public pages", public), ("staff pages", staff_pages)):
        expect(
            all(s == 503 and LAYOUT_MARKER in body and "<main" in body for s, _t, body in answers),
            f"{label} answer 503 in the layout without the database "
            + str([s for s, _t, _b in answers]),
        )
    slowest = max(t for _s, t, _b in probes.values())
    expect(
        slowest < args.timeout,
        f"no probe waited {args.timeout:.0f} s (slowest {slowest} s)",
    )
    bad = tally.count(lambda s: s >= 500 and s != 503)
    expect(
        bad == 0,
        f"during the outage only 503s, no other 5xx ({tally.statuses} {tally.samples_5xx})",
    )
    expect(tally.count(lambda s: s == 0) == 0, "no request failed or hung during the outage")
    expect(tally.too_slow == 0, f"no request took longer than {args.timeout:.0f} s")

    database.start()
    recovered_after = None
    started = time.monotonic()
    while time.monotonic() - started < 20:
        statuses = [fetch(base + "/healthz")[0] for base in (a.base, b.base)]
        pages_ok = [fetch(base + "/de/network/volunteer/")[0] for base in (a.base, b.base)]
        if set(statuses) == {200} and set(pages_ok) == {200}:
            recovered_after = time.monotonic() - started
            break
        time.sleep(0.25)
    expect(recovered_after is not None, f"both instances answer 200 again ({recovered_after} s)")
    expect((a.pids(), b.pids()) == pids_before, "the same gunicorn processes recovered (same PIDs)")
    stored = check_submissions(env, tally)
    expect(
        stored["missing_volunteers"] == 0 and stored["missing_suggestions"] == 0,
        "every submission accepted around the outage is in the database",
    )
    expect(stored["volunteers_without_languages"] == 0, "no half-written record after the outage")
    return {
        "requests": tally.total,
        "statuses": tally.statuses,
        "probes": {k: v[:2] for k, v in probes.items()},
        "recovered_after_s": recovered_after,
        **stored,
    }


if __name__ == "__main__":
    sys.exit(main())
