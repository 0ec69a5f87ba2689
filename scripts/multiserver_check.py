"""Several servers for real: two gunicorn app servers and an RQ job worker behind Debian's nginx
(round robin) on loopback, with PostgreSQL and Redis. Run by scripts/multiserver-check.

Shows that
0. scripts/serve, as the README starts it, sets up the empty database (check --deploy,
   migrations, static files), serves /healthz and a page with gunicorn and a job worker, and
   stops all of them and exits 0 on SIGTERM;
1. an import uploaded through one server is previewed there and confirmed through the other;
2. a period published through one server has its edition downloadable through the other;
3. the API's anonymous throttle counts requests across both servers;
4. a job enqueued while the worker is stopped is done once it is started again.

Exits non-zero with a message on the first failure.
"""

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORTS = {
    "a": int(os.environ.get("CHECK_PORT_A", 18101)),
    "b": int(os.environ.get("CHECK_PORT_B", 18102)),
}
PROXY_PORT = int(os.environ.get("CHECK_PROXY_PORT", 18100))
ANON_RATE = 12
WORKER = [PYTHON, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.backend.Job"]

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 25m;
    upstream app {{
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
    }}
    server {{
        listen 127.0.0.1:{proxy};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
        }}
    }}
}}
"""


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)
    print(f"  ok: {message}")


def manage(*args, env, check=True):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check, capture_output=True, text=True
    )


def start(args, env, log):
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise CheckFailed(f"timed out waiting for {what}")


def base(server):
    return f"http://127.0.0.1:{PORTS[server]}"


class Browser:
    """A signed-in person whose session (a database row) works on every server."""

    def __init__(self, username, password):
        self.session = requests.Session()
        login = f"{base('a')}/las/logga-in/"
        page = self.session.get(login)
        self.post(
            "a",
            "/las/logga-in/",
            {"username": username, "password": password},
            referer=login,
            page=page,
        )
        expect("sessionid" in self.session.cookies, f"{username} signed in through server A")

    def csrf(self, page):
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return match.group(1) if match else self.session.cookies.get("csrftoken")

    def get(self, server, path, **kwargs):
        return self.session.get(base(server) + path, **kwargs)

    def post(self, server, path, data, *, page, referer=None, files=None):
        data = {**data, "csrfmiddlewaretoken": self.csrf(page)}
        headers = {"Referer": referer or base(server) + path}
        return self.session.post(base(server) + path, data=data, files=files, headers=headers)


def setup_data(env):
    """Users: an editor and an approver of the 2019 board; returns ids the checks need."""
    script = """
from django.contrib.auth import get_user_model
from access.models import BoardMembership
from goals.models import Plan
plan = Plan.objects.get(year=2019)
User = get_user_model()
for name, role in (("check-editor", "editor"), ("check-approver", "approver")):
    user, _ = User.objects.get_or_create(username=name)
    user.set_password("multi-server-check-pw")
    user.save()
    BoardMembership.objects.get_or_create(user=user, board=plan.board, role=role)
periods = {p.kind: p for p in plan.periods.all()}
print(plan.board_id, plan.pk, periods["T3"].pk, periods["T3"].status)
"""
    out = manage("shell", "-c", script, env=env).stdout.strip().splitlines()[-1].split()
    return {"board": int(out[0]), "plan": int(out[1]), "t3": int(out[2]), "t3_status": out[3]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_serve(env, tmp):
    print("0. scripts/serve on the empty database: set-up, gunicorn and a worker, SIGTERM")
    port = free_port()
    serve_env = {
        **env,
        "PORT": str(port),
        "BIND_ADDRESS": "127.0.0.1",
        "WEB_WORKERS": "2",
        "JOB_WORKERS": "1",
    }
    log = open(tmp / "serve.log", "w")  # noqa: SIM115 - closed with the process
    serve = subprocess.Popen(
        ["scripts/serve"],
        cwd=ROOT,
        env=serve_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:

        def healthy():
            if serve.poll() is not None:
                raise CheckFailed(f"scripts/serve exited ({serve.returncode}), see {log.name}")
            return requests.get(url + "/healthz", timeout=5).status_code == 200

        wait_until(healthy, 600, "scripts/serve to answer /healthz")
        health = requests.get(url + "/healthz").json()
        expect(health["status"] == "ok", f"scripts/serve: healthz {health['checks']}")
        page = requests.get(url + "/")
        expect(page.status_code == 200 and "<html" in page.text, "scripts/serve: the start page")
        children = subprocess.run(
            ["pgrep", "-f", "-s", str(serve.pid), "rqworker|gunicorn"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        expect(len(children) >= 3, f"scripts/serve runs gunicorn and a worker ({children})")
        serve.send_signal(signal.SIGTERM)
        try:
            status = serve.wait(60)
        except subprocess.TimeoutExpired:
            raise CheckFailed("scripts/serve did not stop within 60 s of SIGTERM") from None
        expect(status == 0, f"scripts/serve exits 0 on SIGTERM ({status})")
        time.sleep(1)
        try:
            os.killpg(serve.pid, 0)
        except ProcessLookupError:
            left = False
        else:
            left = True
        expect(not left, "no process of scripts/serve is left")
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        log.close()


def check_import(editor):
    print("1. import previewed on A, confirmed on B")
    target = "/admin/indicators/indicatorvalue/import/"
    page = editor.get("a", target)
    expect(page.status_code == 200, "import page on A")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "Nämnd",
            "Indikator",
            "Slag",
            "Kolada-id",
            "År",
            "Tertial",
            "Kön",
            "Kategori",
            "Värde",
            "Text",
            "Bedömt",
            "Not",
        ]
    )
    writer.writerow(
        [
            "Social- och omsorgsnämnden",
            "Total sjukfrånvaro",
            "Nämndindikator",
            "",
            "2018",
            "",
            "K",
            "",
            "6.5",
            "",
            "Nej",
            "flerserverskontroll",
        ]
    )
    preview = editor.post(
        "a",
        target,
        {},
        page=page,
        files={"import_file": ("varden.csv", buffer.getvalue().encode(), "text/csv")},
    )
    match = re.search(r'name="confirm_token" value="([^"]+)"', preview.text)
    expect(preview.status_code == 200 and match, "preview made on A has a confirm button")
    done = editor.post("b", target, {"confirm_token": match.group(1)}, page=preview)
    expect(done.status_code in (200, 302), f"confirm posted to B ({done.status_code})")
    listing = editor.get("b", "/api/v1/indicator-values/?year=2018&gender=K&page_size=1000")
    expect(
        any(r.get("note") == "flerserverskontroll" for r in listing.json()["results"]),
        "the value confirmed on B is stored",
    )


def check_publication(approver, ids):
    print("2. period published through A, edition downloaded through B")
    path = f"/uppfoljning/{ids['t3']}/arbetsflode/"
    status = ids["t3_status"]
    steps = {
        "open": ["submit", "approve", "publish"],
        "submitted": ["approve", "publish"],
        "approved": ["publish"],
        "published": [],
    }[status]
    for step in steps:
        page = approver.get("a", path)
        response = approver.post("a", path, {"transition": step}, page=page)
        expect(response.status_code in (200, 302), f"{step} on A")
    url = f"/rapporter/{ids['board']}/2019/verksamhetsberattelse.pdf"
    anonymous = requests.Session()

    def downloaded():
        response = anonymous.get(base("b") + url)
        return response.status_code == 200 and response.content.startswith(b"%PDF")

    wait_until(downloaded, 300, "the year-end edition on B")
    first = anonymous.get(base("b") + url)
    other = anonymous.get(base("a") + url)
    expect(
        first.content == other.content and first.headers["ETag"],
        "A and B serve the same edition bytes",
    )


def check_throttle():
    print("3. anonymous API throttle counted across both servers (through nginx)")
    proxy = f"http://127.0.0.1:{PROXY_PORT}/api/v1/boards/"
    statuses = [requests.get(proxy).status_code for _ in range(ANON_RATE + 4)]
    ok = statuses.count(200)
    expect(ok == ANON_RATE and statuses[-1] == 429, f"{ANON_RATE} answered, then 429 ({statuses})")


def check_worker_restart(staff, ids, env, tmp, worker):
    print("4. a job waits in Redis while the worker is down and is done after its restart")
    worker.send_signal(signal.SIGTERM)
    worker.wait(30)
    url = f"/rapporter/{ids['board']}/2019/verksamhetsplan.pdf"
    response = staff.get("a", url, allow_redirects=False)
    expect(response.status_code == 202, "draft PDF request answers a progress page (job queued)")
    progress = re.search(r'href="(/rapporter/pdf/[^"]+)"', response.text).group(1)
    time.sleep(2)
    still = staff.get("b", progress)
    seen = still.status_code
    expect(seen == 202, f"no worker: the job is still waiting (seen on B: {seen})")
    log = open(tmp / "worker2.log", "w")  # noqa: SIM115 - closed with the process
    new_worker = start(WORKER, env, log)
    wait_until(
        lambda: staff.get("b", progress).status_code == 200, 180, "the PDF after the restart"
    )
    expect(staff.get("b", progress).content.startswith(b"%PDF"), "restarted worker made the PDF")
    return new_worker


def main():
    database_url = os.environ["CHECK_DATABASE_URL"]
    redis_url = os.environ.get("CHECK_REDIS_URL", "redis://127.0.0.1:6379/11")
    tmp = Path(tempfile.mkdtemp(prefix="malfolj-multiserver-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "multi-server-check-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "MEDIA_ROOT": str(tmp / "media"),
        "API_ANON_RATE": f"{ANON_RATE}/minute",
        "API_NUM_PROXIES": "1",
        "CSRF_TRUSTED_ORIGINS": ",".join(
            f"http://127.0.0.1:{p}" for p in [*PORTS.values(), PROXY_PORT]
        ),
        "LOG_LEVEL": "WARNING",
    }
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    print(f"set-up in {tmp}")
    # The database is new and empty: scripts/serve migrates it and collects the static files.
    check_serve(env, tmp)
    manage("migrate", "--check", env=env)
    manage("load_seed", env=env)
    ids = setup_data(env)
    proc_env = env
    processes = []
    try:
        for name, port in PORTS.items():
            log = open(tmp / f"gunicorn-{name}.log", "w")  # noqa: SIM115
            processes.append(
                start(
                    [
                        PYTHON,
                        "-m",
                        "gunicorn",
                        "config.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--timeout",
                        "60",
                    ],
                    proc_env,
                    log,
                )
            )
        worker_log = open(tmp / "worker.log", "w")  # noqa: SIM115
        worker = start(WORKER, proc_env, worker_log)
        processes.append(worker)
        (tmp / "nginx.conf").write_text(
            NGINX_CONF.format(tmp=tmp, a=PORTS["a"], b=PORTS["b"], proxy=PROXY_PORT)
        )
        subprocess.run(["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True)
        for server in PORTS:
            wait_until(
                lambda s=server: requests.get(base(s) + "/healthz").status_code == 200,
                120,
                f"server {server}",
            )
        health = requests.get(f"http://127.0.0.1:{PROXY_PORT}/healthz").json()
        expect(health["status"] == "ok", f"healthz through nginx: {health['checks']}")

        editor = Browser("check-editor", "multi-server-check-pw")
        approver = Browser("check-approver", "multi-server-check-pw")
        check_import(editor)
        worker = check_worker_restart(editor, ids, proc_env, tmp, worker)
        processes.append(worker)
        check_publication(approver, ids)
        check_throttle()
        print("multi-server check passed")
    finally:
        subprocess.run(
            ["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-s", "stop"], check=False
        )
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
