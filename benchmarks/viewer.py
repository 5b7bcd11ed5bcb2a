"""Viewer size and speed on synthetic graphs, measured in headless Chromium.

    python benchmarks/viewer.py                 # 100, 1,000 and 5,000 events
    python benchmarks/viewer.py 5000 --actors 2000
    python benchmarks/viewer.py --screenshot out/timeline.html docs/viewer.png

For each size it writes a page with ``kg.view.write_html`` and prints the
page's size, the Python build time, the load time (navigation start to the
viewer being ready, from the page's own clock) and the time a filter change
takes until the next frame is drawn: a type box, a search, an actor, a date
range, the lane mode (by type, by actor) and the time window (network
brushing).  Each change is timed ``--repeat`` times from the unfiltered page
(process lanes) and the median is printed, since other work on the machine
makes single runs jumpy; the first switch to a lane mode builds its items,
later ones reuse them, and the first is printed apart as ``lanes1``.
Targets at 5,000 events and 2,000 actors: load < 3 s, filter < 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import browser_session, open_viewer, screenshot, synthetic_data  # noqa: E402

from kg.view import write_html  # noqa: E402

__all__ = ["screenshot", "measure", "main"]

# Runs one change in the page, then waits for the frame that draws it.
_TIMED = """async (change) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  await frame();
  const t0 = performance.now();
  const $ = (s) => document.querySelector(s);
  const fire = (el, kind) => el.dispatchEvent(new Event(kind, {bubbles: true}));
  if (change.kind === 'type') $(`#kg-types input[data-type="${change.value}"]`).click();
  if (change.kind === 'actor') { $('#kg-actor').value = change.value; fire($('#kg-actor'), 'change'); }
  if (change.kind === 'from') { $('#kg-from').value = change.value; fire($('#kg-from'), 'change'); }
  if (change.kind === 'lanes') { $('#kg-lanes').value = change.value; fire($('#kg-lanes'), 'change'); }
  if (change.kind === 'search') { window.kgViewer.search(change.value); }
  if (change.kind === 'window') { window.kgViewer.brush(change.value[0], change.value[1]); }
  // vis-timeline queued its redraw during the change, so it runs before this frame callback.
  await new Promise((r) => requestAnimationFrame(r));
  void document.body.offsetHeight;
  const drawn = performance.now() - t0;
  await window.kgViewer.networkSettled();
  await frame();
  return [drawn, performance.now() - t0];
}"""


def _settle(page) -> None:
    """Back to the unfiltered page in process lanes, with the network caught up."""
    page.click("#kg-reset")
    if page.input_value("#kg-lanes") != "process":
        page.select_option("#kg-lanes", "process")
    page.evaluate("() => window.kgViewer.networkSettled()")
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def measure(browser, n_events: int, n_actors: int, workdir: Path, repeat: int = 3) -> dict:
    """Build one synthetic page and time it in ``browser``; return the figures (medians of ``repeat`` runs)."""
    data = synthetic_data(n_events, n_actors)
    t0 = time.perf_counter()
    page_path = write_html(data, workdir / f"viewer-{n_events}.html")
    build_s = time.perf_counter() - t0
    context, page, log = open_viewer(browser, page_path, timeout_ms=120000)
    try:
        load_ms = page.evaluate("() => window.kgViewer.loadMs")
        actor = max(data["actors"], key=lambda a: sum(a["id"] in {x["id"] for x in e["actors"]}
                                                        for e in data["events"][:400]))["id"]
        changes = {
            "type": {"kind": "type", "value": "TalkRound"},
            "search": {"kind": "search", "value": "exchange"},
            "actor": {"kind": "actor", "value": actor},
            "dates": {"kind": "from", "value": "2025-01-01"},
            "lanes": {"kind": "lanes", "value": "type"},
            "actorlanes": {"kind": "lanes", "value": "actor"},
            "window": {"kind": "window", "value": ["2024-03-01", "2024-05-01"]},
        }
        timings = {}
        _settle(page)
        timings["lanes1"] = page.evaluate(_TIMED, changes["lanes"])   # builds the type lanes
        for name, change in changes.items():
            runs = []
            for _ in range(repeat):
                _settle(page)   # each change starts from the unfiltered page
                runs.append(page.evaluate(_TIMED, change))
            timings[name] = [statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)]
        errors = list(log.errors)
    finally:
        context.close()
    return {"events": n_events, "actors": n_actors, "bytes": page_path.stat().st_size,
            "build_s": build_s, "load_ms": load_ms, "filter_ms": timings, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 5000], help="event counts")
    parser.add_argument("--actors", type=int, default=None, help="actor count (default: 2/5 of the events, at most 2,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per change; the median is printed")
    parser.add_argument("--screenshot", nargs=2, metavar=("HTML", "PNG"), help="only render HTML to PNG")
    args = parser.parse_args(argv)
    if args.screenshot:
        print(screenshot(args.screenshot[0], args.screenshot[1]))
        return 0
    print(f"{'events':>7} {'actors':>7} {'size MB':>8} {'build s':>8} {'load ms':>8}  "
          "filter ms: time axis and list drawn / network caught up")
    with tempfile.TemporaryDirectory() as tmp, browser_session() as browser:
        for n in args.sizes:
            actors = args.actors if args.actors is not None else min(2000, max(5, n * 2 // 5))
            r = measure(browser, n, actors, Path(tmp), repeat=max(1, args.repeat))
            filters = "  ".join(f"{k} {v[0]:.0f}/{v[1]:.0f}" for k, v in r["filter_ms"].items())
            worst = max(v[0] for v in r["filter_ms"].values())
            worst_net = max(v[1] for v in r["filter_ms"].values())
            print(f"{r['events']:>7} {r['actors']:>7} {r['bytes'] / 1e6:>8.2f} {r['build_s']:>8.2f} "
                  f"{r['load_ms']:>8.0f}  {filters}  max {worst:.0f}/{worst_net:.0f}", flush=True)
            for err in r["errors"]:
                print(f"        page error: {err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
