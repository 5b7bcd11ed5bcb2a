"""Drive the viewer in Debian's Chromium with Playwright (tests, benchmarks, README screenshot).

Playwright cannot download its own browsers here, so it launches
``/usr/bin/chromium``; ``ensure_browser`` installs it with
``.ci/install-browser`` when it is missing.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}


def ensure_browser() -> Path:
    """Path of Chromium, installing Debian's package first if it is missing."""
    if CHROMIUM.exists():
        return CHROMIUM
    script = ROOT / ".ci" / "install-browser"
    result = subprocess.run([str(script)], capture_output=True, text=True, check=False)
    if result.returncode != 0 or not CHROMIUM.exists():
        raise RuntimeError(f"Chromium is needed for the viewer tests and {CHROMIUM} is missing; "
                           f".ci/install-browser failed:\n{result.stderr.strip()}")
    return CHROMIUM


@contextmanager
def browser_session() -> Iterator[Any]:
    """One headless Chromium for a whole session (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    executable = ensure_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What a page did besides rendering: console errors, uncaught errors, requests."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def outside(self, page_url: str) -> list[str]:
        """Requests other than the page's own file (data: URLs stay in the page)."""
        return [u for u in self.requests if u != page_url and not u.startswith("data:")]


def open_viewer(browser: Any, html_path: str | Path, fragment: str = "",
                color_scheme: str = "light", timeout_ms: int = 30000) -> tuple[Any, Any, PageLog]:
    """Open a viewer page from file:// in a fresh context; return (context, page, log)."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme)
    log = PageLog()
    context.on("request", lambda request: log.requests.append(request.url))
    page = context.new_page()
    page.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.errors.append(exc.stack or str(exc)))
    url = Path(html_path).resolve().as_uri() + (f"#{fragment}" if fragment else "")
    page.goto(url)
    # A selector, not wait_for_function: a string predicate would need eval, which the page's CSP forbids.
    try:
        page.wait_for_selector("html[data-kg-ready='1']", state="attached", timeout=timeout_ms)
    except Exception as exc:
        context.close()
        raise RuntimeError(f"viewer {url} never became ready; page errors: {log.errors}") from exc
    return context, page, log


def screenshot(html_path: str | Path, png_path: str | Path, fragment: str = "",
               color_scheme: str = "light") -> Path:
    """Render the viewer page to a PNG (the README screenshot is made with this)."""
    with browser_session() as browser:
        context, page, _log = open_viewer(browser, html_path, fragment, color_scheme)
        try:
            page.wait_for_timeout(300)   # let the network finish its first draw
            page.screenshot(path=str(png_path))
        finally:
            context.close()
    return Path(png_path)


# --------------------------------------------------------------------------- synthetic data

TYPES = ["TalkRound", "LeadersMeeting", "Ultimatum", "Deadline", "PrisonerExchange", "BodiesReturn",
         "Agreement", "Proposal", "Announcement", "Appointment", "Statement", "SanctionThreat",
         "Ceasefire", "Cancellation"]
MODALITIES = ["occurred", "scheduled", "proposed", "expected", "threatened", "demanded", "cancelled", "denied"]


def synthetic_data(n_events: int, n_actors: int, n_processes: int = 12, seed: int = 0) -> dict:
    """An events.json-shaped dict of made-up events, for speed and scale checks."""
    rng = random.Random(seed)
    origin = date(2024, 1, 1)
    actors = [{"id": f"actor-{i}", "name": f"Actor {i} {rng.choice(['Ivanenko', 'Smith', 'Kaya', 'Novak'])}",
               "kind": rng.choice(["person", "organization", "country", "media"]), "aliases": [],
               "wikidata": None, "title": None, "affiliation": None} for i in range(n_actors)]
    articles = [{"id": f"article-{i}", "title": f"Report {i}", "url": f"https://news.example/{i}",
                 "published": (origin + timedelta(days=i % 700)).isoformat(),
                 "reference_date": (origin + timedelta(days=i % 700)).isoformat(), "source": "Example"}
                for i in range(max(1, n_events // 3))]
    processes = [{"id": f"process-{p}", "label": f"Process {p}", "events": []} for p in range(n_processes)]
    events = []
    for i in range(n_events):
        start = origin + timedelta(days=rng.randrange(700))
        precision = rng.choices(["day", "month", "interval", "week", "unknown"], [70, 8, 12, 5, 5])[0]
        if precision == "unknown":
            start_s = end_s = None
        else:
            length = {"day": 0, "week": 6, "month": 29, "interval": rng.randrange(1, 50)}[precision]
            start_s, end_s = start.isoformat(), (start + timedelta(days=length)).isoformat()
        kind = TYPES[i % len(TYPES)]
        picked = rng.sample(actors, k=min(len(actors), rng.randrange(1, 4))) if actors else []
        article = articles[i % len(articles)]
        words = rng.choice(["talks", "exchange", "deadline", "statement"])
        event = {
            "id": f"event-{i:06d}", "type": kind, "label": f"{kind} {i} with {len(picked)} actors",
            "start": start_s, "end": end_s, "precision": precision, "time_text": "on a day",
            "edtf": start_s or "", "modality": MODALITIES[i % 17 % len(MODALITIES)],
            "actors": [{"id": a["id"], "name": a["name"], "role": "party", "wikidata": None} for a in picked],
            "places": [{"id": "place-1", "name": "Somewhere", "wikidata": None}],
            "quantities": {}, "sources": [{"article": article["id"], "title": article["title"], "url": article["url"],
                                           "published": article["published"], "sentence_index": i % 30,
                                           "sentence": f"Officials said the {words} number {i} went ahead.",
                                           "trigger": words}],
            "claims": [], "conflict": False, "resolution_note": None,
            "process": processes[i % n_processes]["id"] if n_processes else None, "ordinal": None,
        }
        if event["process"]:
            processes[i % n_processes]["events"].append(event["id"])
        events.append(event)
    links = [{"source": events[i]["id"], "target": events[i + n_processes]["id"], "type": "next", "date": None}
             for i in range(0, max(0, n_events - n_processes), 7)]
    return {"events": events, "actors": actors, "articles": articles, "links": links, "processes": processes}


def have_chromium() -> bool:
    """True when a Chromium binary is already there (no install attempted)."""
    return CHROMIUM.exists() or shutil.which("chromium") is not None
