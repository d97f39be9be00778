"""Separate hosts on one machine: network namespaces on a virtual bridge, and per host its
own mount, hostname and process view (``unshare --mount --uts --pid``), its own empty
``var/``, working folder and temp folder. The shared services (PostgreSQL, Redis, the S3
API) run in a "services" namespace and listen only on the virtual network.

Everything made here is torn down by ``Cluster.close`` (every process of every host, the
namespaces, the bridge, the temporary folders), also when the test fails."""

from __future__ import annotations

import contextlib
import glob
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT

from .servers import make_buckets, wait_http


class NamespacesUnavailable(Exception):
    """This machine cannot make the namespaces (not root, no CAP_NET_ADMIN, no tools)."""


def run(*args: str, check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        list(args), capture_output=True, text=True, check=check, timeout=timeout
    )


def tail(path: Path, chars: int = 6000) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return text[-chars:]


@dataclass
class Host:
    name: str
    netns: str
    address: str
    folder: Path  # holds var/, work/, tmp/, home/; only this host sees it
    log: Path
    proc: subprocess.Popen | None = None

    @property
    def var(self) -> Path:
        return self.folder / "var"

    def init_pid(self) -> int | None:
        """The host's PID-namespace init (the child of ``unshare --fork``), host PID."""
        if self.proc is None:
            return None
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except FileNotFoundError:
            return None
        pids = [int(p) for p in children.split()]
        return pids[0] if pids else None

    def pids(self) -> list[int]:
        """Every process in the host (its network namespace)."""
        out = run("ip", "netns", "pids", self.netns, check=False).stdout
        return [int(p) for p in out.split()]

    def commands(self) -> list[str]:
        names = []
        for pid in self.pids():
            with contextlib.suppress(OSError):
                names.append(Path(f"/proc/{pid}/comm").read_text().strip())
        return names

    def kill(self) -> None:
        """SIGKILL every process of the host: its PID namespace's init first (the kernel
        then kills every process in the namespace), then anything left in its netns."""
        init = self.init_pid()
        if init:
            with contextlib.suppress(ProcessLookupError):
                os.kill(init, signal.SIGKILL)
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)


@dataclass
class Cluster:
    base: Path
    suffix: str = field(default_factory=lambda: f"{random.randrange(16**4):04x}")  # noqa: S311
    subnet: str = ""
    hosts: dict[str, Host] = field(default_factory=dict)
    services: list[subprocess.Popen] = field(default_factory=list)
    service_logs: dict[str, Path] = field(default_factory=dict)
    pg_dir: Path | None = None
    _links: list[str] = field(default_factory=list)
    _netns: list[str] = field(default_factory=list)

    # --- network ------------------------------------------------------------------------

    @property
    def bridge(self) -> str:
        return f"lmsbr{self.suffix}"

    def address(self, n: int) -> str:
        return f"{self.subnet}.{n}"

    def _free_subnet(self) -> str:
        routes = run("ip", "-4", "route").stdout + run("ip", "-4", "addr").stdout
        for _ in range(50):
            candidate = f"10.{random.randrange(64, 250)}.{random.randrange(1, 250)}"  # noqa: S311
            if f"{candidate}." not in routes:
                return candidate
        raise RuntimeError("no free 10.x.y.0/24 subnet found")

    def network(self, names: list[str]) -> None:
        """A bridge in the root namespace (the test is the client) and one namespace per
        name, each with a veth pair to the bridge and its own loopback."""
        for tool in ("ip", "unshare", "runuser"):
            if shutil.which(tool) is None:
                raise NamespacesUnavailable(f"`{tool}` is not installed")
        if os.geteuid() != 0:
            raise NamespacesUnavailable("not running as root")
        probe = f"lms{self.suffix}probe"
        made = run("ip", "netns", "add", probe, check=False)
        if made.returncode != 0:
            raise NamespacesUnavailable(f"`ip netns add` failed: {made.stderr.strip()}")
        run("ip", "netns", "del", probe, check=False)
        tried = run(
            "unshare", "--mount", "--uts", "--pid", "--fork", "--mount-proc", "true", check=False
        )
        if tried.returncode != 0:
            raise NamespacesUnavailable(f"`unshare` failed: {tried.stderr.strip()}")
        self.subnet = self._free_subnet()
        run("ip", "link", "add", self.bridge, "type", "bridge")
        self._links.append(self.bridge)
        run("ip", "addr", "add", f"{self.address(1)}/24", "dev", self.bridge)
        run("ip", "link", "set", self.bridge, "up")
        for n, name in enumerate(names, start=2):
            netns = f"lms{self.suffix}-{name}"
            outside, inside = f"lv{self.suffix}{n}a", f"lv{self.suffix}{n}b"
            run("ip", "netns", "add", netns)
            self._netns.append(netns)
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            self._links.append(outside)
            run("ip", "link", "set", outside, "master", self.bridge)
            run("ip", "link", "set", outside, "up")
            run("ip", "link", "set", inside, "netns", netns)
            run("ip", "-n", netns, "link", "set", inside, "name", "eth0")
            run("ip", "-n", netns, "addr", "add", f"{self.address(n)}/24", "dev", "eth0")
            run("ip", "-n", netns, "link", "set", "eth0", "up")
            run("ip", "-n", netns, "link", "set", "lo", "up")
            folder = self.base / "hosts" / name
            for sub in ("var", "work", "tmp", "home"):
                (folder / sub).mkdir(parents=True)
            self.hosts[name] = Host(
                name=name,
                netns=netns,
                address=self.address(n),
                folder=folder,
                log=self.base / "logs" / f"{name}.log",
            )
        (self.base / "logs").mkdir(exist_ok=True)
        (self.base / "clips").mkdir(exist_ok=True)  # the test's own files, hidden from hosts

    # --- the shared services ------------------------------------------------------------------

    def _service(self, name: str, argv: list[str], *, cwd: Path | None = None) -> None:
        log = self.base / "logs" / f"{name}.log"
        self.service_logs[name] = log
        self.services.append(
            subprocess.Popen(  # noqa: S603
                ["ip", "netns", "exec", self.hosts["svc"].netns, *argv],
                cwd=cwd or self.base,
                stdout=open(log, "ab"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def postgres(self) -> str:
        """The test's own PostgreSQL cluster (initdb into a temporary folder, run as the
        postgres user), listening only on the services address; trust for the subnet."""
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise NamespacesUnavailable("no PostgreSQL server binaries under /usr/lib/postgresql")
        bindir = Path(bins[-1]).parent
        # Outside pytest's 0700 tmp folders, so the postgres user can reach it.
        self.pg_dir = Path(tempfile.mkdtemp(prefix="lms-hosts-pg-"))
        shutil.chown(self.pg_dir, "postgres", "postgres")
        data = self.pg_dir / "data"
        init = run(
            "runuser", "-u", "postgres", "--", str(bindir / "initdb"), "-D", str(data),
            "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            check=False, timeout=120,
        )  # fmt: skip
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stdout}\n{init.stderr}")
        with open(data / "pg_hba.conf", "a") as fh:
            fh.write(f"host all all {self.subnet}.0/24 trust\n")
        svc = self.hosts["svc"].address
        self._service(
            "postgres",
            [
                "runuser", "-u", "postgres", "--", str(bindir / "postgres"), "-D", str(data),
                "-c", f"listen_addresses={svc}", "-c", "port=5432",
                "-c", f"unix_socket_directories={self.pg_dir}",
                "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=100",
            ],
            cwd=self.pg_dir,
        )  # fmt: skip
        import psycopg

        end = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(
                    f"postgresql://postgres@{svc}:5432/postgres", autocommit=True, connect_timeout=2
                ) as conn:
                    conn.execute("CREATE DATABASE lms")
                break
            except psycopg.OperationalError:
                if time.monotonic() > end or self.services[-1].poll() is not None:
                    raise RuntimeError(
                        "PostgreSQL did not start:\n" + tail(self.service_logs["postgres"])
                    ) from None
                time.sleep(0.3)
        return f"postgres://postgres@{svc}:5432/lms"

    def redis(self) -> str:
        svc = self.hosts["svc"].address
        folder = self.base / "redis"
        folder.mkdir()
        self._service(
            "redis",
            [
                shutil.which("redis-server") or "redis-server", "--bind", svc, "--port", "6379",
                "--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--dir", str(folder),
            ],
        )  # fmt: skip
        import redis

        client = redis.Redis(host=svc, port=6379, socket_timeout=2)
        end = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > end or self.services[-1].poll() is not None:
                    log = tail(self.service_logs["redis"])
                    raise RuntimeError("Redis did not start:\n" + log) from None
                time.sleep(0.2)
        return f"redis://{svc}:6379"

    def s3(self) -> str:
        svc = self.hosts["svc"].address
        self._service(
            "moto", [sys.executable, "-m", "moto.server", "-H", svc, "-p", "9000"], cwd=ROOT
        )
        endpoint = f"http://{svc}:9000"
        wait_http(endpoint + "/moto-api/", proc=self.services[-1])
        make_buckets(endpoint)
        return endpoint

    # --- hosts ---------------------------------------------------------------------------

    def hidden_paths(self) -> list[Path]:
        """Folders a host must not reach on the shared disk: the test's own (logs, clips,
        the services' data), the machine's PostgreSQL socket folder, the checkout's var/."""
        paths = [
            p
            for p in self.base.iterdir()
            if p.is_dir() and p.name != "hosts" and not p.name.startswith("stage-")
        ]
        if self.pg_dir:
            paths.append(self.pg_dir)
        paths += [Path("/run/postgresql"), Path("/var/run/redis"), ROOT / "var"]
        return [p for p in paths if p.is_dir()]

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> Host:
        """Start ``argv`` as the init of host ``name``: its own network namespace, mount
        namespace (a tmpfs over every other host's folder and the services' data), UTS
        namespace (hostname = name) and PID namespace (its own /proc)."""
        host = self.hosts[name]
        hosts_dir = self.base / "hosts"
        stage = self.base / f"stage-{name}"
        stage.mkdir()
        own = host.folder
        quoted_hosts = shlex.quote(str(hosts_dir))
        hidden = self.hidden_paths()
        quoted_hidden = " ".join(shlex.quote(str(p)) for p in hidden)
        lines = [
            "set -e",
            f"hostname {shlex.quote(name)}",
            # Only this host's folder stays visible under hosts/.
            f"mount --bind {shlex.quote(str(own))} {shlex.quote(str(stage))}",
            f"mount -t tmpfs -o size=1m,mode=755 lmshosts {shlex.quote(str(hosts_dir))}",
            f"mkdir {shlex.quote(str(own))}",
            f"mount --move {shlex.quote(str(stage))} {shlex.quote(str(own))}",
            *(
                f"mount -t tmpfs -o size=1m,mode=700 lmshidden {shlex.quote(str(p))}"
                for p in hidden
            ),
            f"cd {shlex.quote(str(own / 'work'))}",
            # What the host sees: its own name and PID 1, only its own folder, nothing of
            # the hidden folders (the test checks this line).
            f'echo "[{name}] hostname=$(hostname) pid=$$ hosts/: $(ls {quoted_hosts})'
            f' hidden: $(find {quoted_hidden} -mindepth 1 | wc -l)"',
            'exec "$@"',
        ]
        env = {
            **env,
            "HOME": str(own / "home"),
            "TMPDIR": str(own / "tmp"),
            "LMS_VAR_DIR": str(own / "var"),
        }
        host.proc = subprocess.Popen(  # noqa: S603
            [
                "ip", "netns", "exec", host.netns,
                "unshare", "--mount", "--uts", "--pid", "--fork", "--mount-proc",
                "--propagation", "private",
                "sh", "-c", "\n".join(lines), name, *argv,
            ],
            cwd=self.base,
            env=env,
            stdout=open(host.log, "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        return host

    def logs(self) -> str:
        parts = []
        for name, host in self.hosts.items():
            if host.proc is not None:
                parts.append(f"----- host {name} ({host.address}) -----\n{tail(host.log)}")
        for name, log in self.service_logs.items():
            parts.append(f"----- service {name} -----\n{tail(log, 2000)}")
        return "\n".join(parts)

    def close(self) -> None:
        for host in self.hosts.values():
            with contextlib.suppress(Exception):
                host.kill()
        for proc in self.services:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
        for netns in self._netns:
            for pid in run("ip", "netns", "pids", netns, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            run("ip", "netns", "del", netns, check=False)
        for link in reversed(self._links):
            run("ip", "link", "del", link, check=False)
        if self.pg_dir:
            shutil.rmtree(self.pg_dir, ignore_errors=True)
