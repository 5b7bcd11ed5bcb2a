"""Agreement benchmark: how far two people annotating the same articles agree, next to the kg pipeline.

    python benchmarks/agreement.py                 # tests/gold/second/ against tests/gold/test/
    python benchmarks/agreement.py --json out.json

``tests/gold/second/annotations.json`` is a second annotation of some of the test articles, made by people who
had read the annotation scheme (tests/gold/README.md) but neither the first annotation nor the extractor.  It is
scored against the first annotation with the extraction benchmark's own matching (``extraction.score``): a gold
mention and a second-annotator mention match when their type, dates and main participants agree.  The figure is
the ceiling of the metric: a system cannot be expected to agree with one annotator more than a second annotator
does.  In the same run, the kg pipeline and the GDELT-style baseline are scored on the same articles against the
same first annotation.

Merge figures count only pairs of articles inside the second annotation (the first annotation's event ids link
them to articles outside it, which the second annotator never saw).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extraction as bench  # noqa: E402 - the benchmark next to this one, whatever the working directory

SECOND = bench.GOLD / "second" / "annotations.json"


def as_system(mentions: list[bench.Mention]) -> list[bench.Mention]:
    """Annotation mentions shaped as the scorer expects a system's: each participant's id is its canonical slug."""
    shaped = []
    for m in mentions:
        participants = [{"id": p.get("canonical") or bench.slug(p.get("name", "")), "name": p.get("name"),
                         "role": p.get("role"), "names": {bench.norm_text(p.get("name", ""))}}
                        for p in m.participants]
        shaped.append(bench.Mention(m.file, m.event, m.type, m.start, m.end, m.precision, m.modality,
                                    participants, m.sentences, m.quantities))
    return shaped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--second", type=Path, default=SECOND, help="the second annotation (default: %(default)s)")
    parser.add_argument("--split", choices=("tune", "test"), default="test",
                        help="the split whose articles and first annotation it covers (default: test)")
    parser.add_argument("--no-system", action="store_true", help="score the second annotator only")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    files, first = bench.load_gold(bench.GOLD / args.split)
    second = bench.read_annotations(args.second)
    covered = {m.file for m in second}
    unknown = covered - {p.name for p in files}
    if unknown:
        sys.exit(f"{args.second}: names articles that are not in tests/gold/{args.split}: {sorted(unknown)}")
    files = [p for p in files if p.name in covered]
    first = [m for m in first if m.file in covered]

    results: dict[str, dict[str, Any] | None] = {"second annotator": bench.score(first, as_system(second))}
    timings: dict[str, float] = {}
    notes: list[str] = []
    if not args.no_system:
        system, elapsed, problem = bench.run_system(files)
        if system is None:
            notes.append(problem)
        results["kg pipeline"] = None if system is None else bench.score(first, bench.system_mentions(system))
        timings["kg pipeline"] = elapsed
        baseline, b_elapsed = bench.run_baseline(files)
        results["GDELT-style baseline"] = bench.score(first, bench.system_mentions(baseline))
        timings["GDELT-style baseline"] = b_elapsed
    print(bench.report(f"{args.split}, against {args.second.parent.name}/", len(files), results, timings, notes,
                       title="Agreement benchmark (first annotation as gold)"))
    if args.json:
        bench.write_figures(args.json, args.split, len(files), results, timings, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
