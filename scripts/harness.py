"""What the benchmark and the load-and-failure script share: the portal's environment with
production settings, management commands, a local Redis, and gunicorn on a free port."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_redis_url(*, no_redis: bool, database: int) -> str:
    """REDIS_URL when set, else a Redis on 127.0.0.1:6379 (the given database) when one
    answers, else '' (no shared cache)."""
    if no_redis:
        return ""
    if os.environ.get("REDIS_URL", "").strip():
        return os.environ["REDIS_URL"].strip()
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return f"redis://127.0.0.1:6379/{database}"
    except OSError:
        pass
    return ""


def django_env(db_url: str, cache_url: str, secret: str, **extra: str) -> dict:
    """The environment of a production-like portal on 127.0.0.1 (DEBUG off, plain HTTP)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LW_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lokalwillkommen.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=db_url,
        REDIS_URL=cache_url,
        **extra,
    )
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    """Run a management command; its output, or its error output on failure."""
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, text=True, input=stdin, capture_output=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class Gunicorn:
    """gunicorn with the portal on a free port of 127.0.0.1, in its own process group."""

    def __init__(self, env: dict, *, workers: int, threads: int, logdir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logfile = Path(logdir) / f"gunicorn-{self.port}.log"
        self.proc = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"), "lokalwillkommen.wsgi",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers), "--threads", str(threads),
                "--timeout", "30", "--no-control-socket",
                # One listening socket per worker: the kernel spreads connections over them
                # (with one shared socket, all keep-alive connections can land on one worker).
                "--reuse-port",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=self.logfile.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"gunicorn on {self.port} did not start: {self.logfile.read_text()[-2000:]}"
        )

    def pids(self) -> set[int]:
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout.split()
        return {self.proc.pid, *map(int, children)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
