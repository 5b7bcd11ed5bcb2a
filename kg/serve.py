"""Serve the graph as a read-only SPARQL endpoint, and push it to a shared store.

Serving uses the Oxigraph server shipped by the ``oxigraph`` package on
PyPI (no Java): the output's ``graph.trig`` is loaded into a fresh database
(``oxigraph load``) and served with ``oxigraph serve-read-only`` on
127.0.0.1, with the union of all graphs as the default graph so plain
queries see the merged view and ``GRAPH`` queries see each article's claims.
The endpoint speaks the SPARQL 1.1 Protocol at ``/query`` (GET and POST;
JSON, XML, CSV, TSV results; Turtle, N-Triples, JSON-LD ... for CONSTRUCT and
DESCRIBE by content negotiation); ``/update`` and writes to ``/store`` are
refused (HTTP 403, "The server is read-only").

Pushing uses the SPARQL 1.1 Graph Store Protocol: one ``PUT`` per article
graph (replacing what an earlier push sent for that article) and one for
the resolved events, so any GSP store works (Oxigraph ``/store``, Fuseki
``/<dataset>/data``, GraphDB ``/repositories/<id>/rdf-graphs/service``,
QLever with an access token...).
"""

from __future__ import annotations

import base64
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.rdf import PREFIXES, rdf_format, resolve_graph_path

_MARKER = ".kg-oxigraph"   # marks a database directory this module created and may wipe


class ServeError(RuntimeError):
    """The server could not be prepared or started; the message says what to do."""


def oxigraph_executable() -> str:
    """Path of the ``oxigraph`` server binary (from the ``oxigraph`` PyPI package)."""
    exe = shutil.which("oxigraph")
    if exe is None:
        raise ServeError("the Oxigraph server is not installed: pip install oxigraph")
    return exe


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def dataset_file(out: str | Path) -> Path:
    """The file to serve: ``graph.trig`` (named graphs kept) if present, else the given graph."""
    p = Path(out)
    if p.is_dir() and (p / "graph.trig").is_file():
        return p / "graph.trig"
    return resolve_graph_path(p)


def load_database(graph_file: Path, location: Path) -> None:
    """Create an Oxigraph database at ``location`` holding ``graph_file``.

    ``location`` must be new, empty, or a database this function made before
    (it is then rebuilt); any other directory is left alone.
    """
    if location.exists() and any(location.iterdir()):
        if not (location / _MARKER).exists():
            raise ServeError(f"{location} is not empty and was not made by kg serve: choose another --location")
        shutil.rmtree(location)
    location.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([oxigraph_executable(), "load", "--location", str(location), "--file", str(graph_file)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise ServeError(f"oxigraph load {graph_file} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    (location / _MARKER).write_text("database built by kg serve; safe to delete\n", encoding="utf-8")


@dataclass
class Server:
    """A running Oxigraph server process; stop it with :meth:`stop` or a ``with`` block."""

    process: subprocess.Popen
    url: str
    location: Path
    read_only: bool
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    _log: IO[bytes] | None = field(default=None, repr=False)

    def log_text(self) -> str:
        """What the server wrote so far (start-up line, errors such as cancelled queries)."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint."""
        return f"{self.url}/store"

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s) and remove a temporary database."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_ready(proc: subprocess.Popen, log: IO[bytes], url: str, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    probe = f"{url}/query?query=" + urllib.parse.quote("ASK {}")
    while True:
        if proc.poll() is not None:
            log.seek(0)
            err = log.read().decode("utf-8", "replace")
            raise ServeError(f"the Oxigraph server exited at start ({err.strip()[:500]}); "
                             "is the port already in use? try another --port")
        try:
            with urllib.request.urlopen(probe, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            raise ServeError(f"the Oxigraph server did not answer at {url} within {wait_s:.0f} s")
        time.sleep(0.1)


def start_server(out: str | Path | None = None, *, port: int = 7878, host: str = "127.0.0.1",
                 timeout_s: int = 30, location: str | Path | None = None, read_only: bool = True,
                 wait_s: float = 60) -> Server:
    """Start Oxigraph on ``host:port`` serving ``out`` (an output directory or RDF file).

    ``read_only=True`` (default) loads ``out`` into a database (a temporary one
    unless ``location`` is given) and runs ``serve-read-only``.
    ``read_only=False`` runs a writable server (in memory unless ``location``;
    ``out`` may be None, else it is pushed): a local Graph Store Protocol
    target for :func:`push`, whose default graph is its own (no union).
    Queries running longer than ``timeout_s`` are cancelled.
    """
    exe = oxigraph_executable()
    if not _port_free(host, port):
        raise ServeError(f"port {port} on {host} is already in use: choose another --port")
    tmp: tempfile.TemporaryDirectory | None = None
    cmd: list[str]
    if read_only:
        if out is None:
            raise ServeError("nothing to serve: give the output directory of `kg build`")
        if location is None:
            tmp = tempfile.TemporaryDirectory(prefix="kg-oxigraph-")
            db = Path(tmp.name) / "db"
        else:
            db = Path(location)
        try:
            load_database(dataset_file(out), db)
        except BaseException:
            if tmp is not None:
                tmp.cleanup()
            raise
        cmd = [exe, "serve-read-only", "--location", str(db)]
    else:
        db = Path(location) if location is not None else Path()
        cmd = [exe, "serve"] + (["--location", str(db)] if location is not None else [])
    cmd += ["--bind", f"{host}:{port}", "--timeout-s", str(int(timeout_s))]
    if read_only:
        cmd.append("--union-default-graph")   # plain queries see the merged view
    # the server's log goes to an anonymous file: a pipe nobody reads could fill and block it
    log = tempfile.TemporaryFile(mode="a+b")   # O_APPEND: reading it back never moves where the server writes
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', 'localhost') else host}:{port}"
    server = Server(proc, url, db, read_only, tmp, log)
    try:
        _wait_ready(proc, log, url, wait_s)
    except BaseException:
        server.stop()
        raise
    if not read_only and out is not None:
        push(out, server.store_url)
    return server


def serve(out: str | Path, *, port: int = 7878, host: str = "127.0.0.1", timeout_s: int = 30,
          location: str | Path | None = None, announce: Callable[[str], None] | None = None) -> int:
    """Serve ``out`` read-only until interrupted (Ctrl-C); returns the server's exit code.

    ``announce`` receives one human-readable line once the endpoint answers.
    """
    server = start_server(out, port=port, host=host, timeout_s=timeout_s, location=location)
    if announce is not None:
        announce(f"SPARQL endpoint {server.query_url} (read-only, queries time out after {timeout_s} s); "
                 "Ctrl-C stops it")
    try:
        return server.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


# --------------------------------------------------------------------------- push

def graphs_of(out: str | Path) -> dict[str | None, list[ox.Triple]]:
    """Triples by graph name (``None`` = default graph) of an output directory or RDF file."""
    path = dataset_file(out)
    fmt = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
           "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}[rdf_format(path)]
    graphs: dict[str | None, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(path), format=fmt):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs[name].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return dict(graphs)


def _gsp_put(store_url: str, graph: str | None, body: bytes, headers: dict[str, str], timeout: float) -> int:
    query = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    sep = "&" if "?" in store_url else "?"
    req = urllib.request.Request(f"{store_url}{sep}{query}", data=body, method="PUT",
                                 headers={"Content-Type": "text/turtle; charset=utf-8", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        raise ServeError(f"the store refused PUT {graph or 'default graph'}: HTTP {exc.code} {detail}") from exc
    except urllib.error.URLError as exc:
        raise ServeError(f"cannot reach the store at {store_url}: {exc.reason}") from exc


def push(out: str | Path, store_url: str, *, user: str | None = None, password: str | None = None,
         token: str | None = None, default_graph: str | None = None, timeout: float = 120) -> dict[str, int]:
    """Load the graph into a SPARQL 1.1 Graph Store Protocol endpoint.

    Each article's named graph is sent with ``PUT ?graph=<graph IRI>``, which
    replaces whatever an earlier push sent for that article; the resolved
    events (the default graph of ``graph.trig``) go to the store's default
    graph, or to the named graph ``default_graph`` if given (useful on a
    store shared by several corpora).  Authentication: ``user``/``password``
    (HTTP Basic) or ``token`` (Bearer).  Returns triples sent per graph
    (``"default"`` for the default graph).
    """
    headers: dict[str, str] = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif user is not None:
        cred = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {cred}"
    sent: dict[str, int] = {}
    graphs = graphs_of(out)
    # the default graph first, then articles in IRI order: a stable, repeatable push
    for name in sorted(graphs, key=lambda g: (g is not None, g or "")):
        triples = graphs[name]
        body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        target = default_graph if name is None else name
        _gsp_put(store_url, target, body, headers, timeout)
        sent["default" if target is None else target] = len(triples)
    return sent
