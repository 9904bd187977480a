"""Throughput of ``sitroom analyze`` against baselines measured in the same run, on the same texts.

Corpus: real news-length texts from the development sets in ``../shared/eval/dev/`` (read in
place, never copied), cycled until ``--docs`` texts. Baselines a user would otherwise reach for:
spaCy's English tokenizer + sentencizer alone (``spacy.blank("en")``), and trafilatura on the
HTML inputs. Prints sitroom's time as a ratio of the baseline's. Run with ``--json`` for one JSON
object (articles_per_s, mb_per_s, ratio_vs_spacy_blank, peak_rss_mb, ...).

    python bench/throughput.py [--docs 2000] [--json]
    python bench/throughput.py --large 100000 [--json]   # flat memory over a long stream
    python bench/throughput.py --docs 400 --profile         # CPU share of every pipeline stage

``--large N`` streams N documents made in memory by cycling the development texts and perturbing
each copy (digits shifted, so every document is new content) through ``sitroom.analyze_many``,
and reports the resident memory at ten checkpoints along the way and the peak: it must stay flat.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
TEXT_SETS = ("airwars_gaza", "airwars_syria", "lgl", "polnear", "geovirus", "re3d", "acled2020", "case2021")


def load_texts(limit: int) -> tuple[list[dict], list[str]]:
    if not DEV.exists():
        sys.exit(f"development sets not found at {DEV}: the benchmark reads real texts from there")
    texts: list[dict] = []
    htmls: list[str] = []
    for name in TEXT_SETS:
        with (DEV / f"{name}.jsonl").open(encoding="utf-8") as handle:
            texts += [json.loads(line) for line in handle]
    with (DEV / "trafilatura.jsonl").open(encoding="utf-8") as handle:
        htmls = [json.loads(line)["text"] for line in handle]
    # Long texts first: the target is real-length articles, not one-line notes.
    texts.sort(key=lambda r: -len(r["text"]))
    cycled = list(itertools.islice(itertools.cycle(texts), limit))
    return cycled, htmls


def _rss_mb() -> float:
    """Current resident memory (Linux /proc; else the peak so far)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_SHIFT = [str.maketrans("0123456789", "".join(str((d + k) % 10) for d in range(10))) for k in range(10)]


def generated(n: int) -> Iterator:
    """N documents streamed from the dev texts, each cycle with its digits shifted (never stored)."""
    from sitroom.model import Document

    texts = []
    for name in TEXT_SETS:
        with (DEV / f"{name}.jsonl").open(encoding="utf-8") as handle:
            texts += [json.loads(line) for line in handle]
    for i in range(n):
        rec = texts[i % len(texts)]
        cycle = i // len(texts)
        text = rec["text"].translate(_SHIFT[cycle % 10]) if cycle else rec["text"]
        yield Document(f"{rec['id']}~{i}", f"{text}\n\nCopy {i}." if cycle >= 10 else text,
                       published=rec.get("published"))


def run_large(n: int) -> dict:
    import sitroom

    checkpoints = []
    start = time.perf_counter()
    count = mb = failed = 0
    step = max(1, n // 10)
    for doc, result in zip(generated(n), sitroom.analyze_many(generated(n)), strict=True):
        count += 1
        mb += len(doc.text.encode("utf-8")) / 1e6
        failed += not isinstance(result, sitroom.Report)
        if count % step == 0:
            checkpoints.append({"docs": count, "rss_mb": round(_rss_mb(), 1),
                                "seconds": round(time.perf_counter() - start, 1)})
    seconds = time.perf_counter() - start
    return {
        "large_docs": count,
        "mb": round(mb, 1),
        "failed": failed,
        "seconds": round(seconds, 1),
        "articles_per_s": round(count / seconds, 1),
        "mb_per_s": round(mb / seconds, 3),
        "rss_mb_checkpoints": checkpoints,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


_CPU: dict[object, float] = {}  # CPU seconds of the last timed run per function (see ``timed``)


def timed(fn, items) -> float:
    """Wall seconds; the CPU seconds of this process go to ``_CPU[fn]`` (on a busy shared machine
    wall time measures the neighbours too, CPU time only this code)."""
    start, cpu = time.perf_counter(), time.process_time()
    for item in items:
        fn(item)
    _CPU[fn] = time.process_time() - cpu
    return time.perf_counter() - start


# The functions ``pipeline.analyze`` calls, by stage name: (module, attribute). ``--profile`` wraps
# each with a CPU timer where the pipeline looks it up, so the shares add up to the whole run.
_STAGES = (
    ("extract", "pipeline", "extract_text"),
    ("language", "pipeline", "detect_language"),
    ("segment", "pipeline", "segment"),
    ("split_sentences", "pipeline", "split_sentences"),
    ("dates", "dates", "find_dates"),
    ("places", "places", "find_places"),
    ("actors", "actors", "find_actors"),
    ("quotes", "quotes", "find_quotes"),
    ("figures", "figures", "find_figures"),
    ("events", "events", "find_events"),
    ("contradictions", "contradictions", "find_contradictions"),
    ("number_mentions", "figures", "number_mentions"),
    ("date_mentions", "dates", "date_mentions"),
)
# Called from inside the stages above: reported apart, as a part of their callers' time.
_NESTED = (
    ("  numbers.find_quantities", "numbers", "find_quantities"),
    ("  numbers.find_quantities_per_span", "numbers", "find_quantities_per_span"),
)


def _cpu_timer(fn, spent: dict[str, float], name: str):
    clock = time.process_time

    def wrapper(*args, **kwargs):
        start = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += clock() - start

    return wrapper


def profile_stages(docs: list) -> dict[str, float]:
    """CPU seconds per pipeline stage over ``docs`` (and ``glue``: what analyze spends outside them).

    Nested timers (``_NESTED``) count time already inside a stage; a nested call inside another
    nested one (a recursive caller) would be counted twice, which none of them does."""
    import importlib

    import sitroom

    spent: dict[str, float] = {name: 0.0 for name, _, _ in (*_STAGES, *_NESTED)}
    saved = []
    for name, module_name, attr in (*_STAGES, *_NESTED):
        module = importlib.import_module(f"sitroom.{module_name}")
        saved.append((module, attr, getattr(module, attr)))
        setattr(module, attr, _cpu_timer(getattr(module, attr), spent, name))
    try:
        start = time.process_time()
        for doc in docs:
            sitroom.analyze(doc)
        total = time.process_time() - start
    finally:
        for module, attr, fn in reversed(saved):
            setattr(module, attr, fn)
    spent["glue"] = total - sum(spent[name] for name, _, _ in _STAGES)
    spent["total"] = total
    return spent


def _print_profile(spent: dict[str, float], docs: int) -> None:
    total = spent["total"] or 1e-9
    print(f"CPU per stage over {docs} documents ({spent['total']:.2f} s, {docs / total:.1f} articles per CPU s)")
    for name, seconds in sorted(spent.items(), key=lambda kv: (kv[0] == "total", kv[0].startswith(" "), -kv[1])):
        print(f"{name:34} {seconds:8.3f} s {100 * seconds / total:6.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--html", type=int, default=68, help="HTML pages for the extraction comparison")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--large", type=int, default=0, metavar="N",
                        help="stream N generated documents through analyze_many and report memory over time")
    parser.add_argument("--profile", action="store_true",
                        help="only print the CPU time and share of every pipeline stage on the --docs texts")
    args = parser.parse_args()
    if args.large:
        result = run_large(args.large)
        print(json.dumps(result) if args.json else "\n".join(f"{k:28} {v}" for k, v in result.items()))
        return

    import sitroom
    from sitroom.model import Document

    records, htmls = load_texts(args.docs)
    docs = [Document(r["id"], r["text"], published=r.get("published")) for r in records]
    total_mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    sitroom.analyze(docs[0])  # warm-up: lexicons and gazetteer load once per process
    if args.profile:
        spent = profile_stages(docs)
        if args.json:
            print(json.dumps({"docs": len(docs), **{k.strip(): round(v, 3) for k, v in spent.items()}}))
        else:
            _print_profile(spent, len(docs))
        return

    sitroom_s = timed(sitroom.analyze, docs)

    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    spacy_s = timed(nlp, (d.text for d in docs))

    html_docs = [Document(f"h{i}", h, format="html") for i, h in enumerate(htmls[: args.html])]
    import trafilatura

    trafilatura_s = timed(
        lambda h: trafilatura.extract(h, include_comments=False, favor_precision=True), htmls[: args.html]
    )
    sitroom_html_s = timed(lambda d: list(sitroom.analyze_many([d])), html_docs)

    result = {
        "docs": len(docs),
        "mb": round(total_mb, 3),
        "seconds": round(sitroom_s, 3),
        "articles_per_s": round(len(docs) / sitroom_s, 1),
        "mb_per_s": round(total_mb / sitroom_s, 3),
        "spacy_blank_seconds": round(spacy_s, 3),
        "ratio_vs_spacy_blank": round(sitroom_s / spacy_s, 2),
        "articles_per_cpu_s": round(len(docs) / _CPU[sitroom.analyze], 1),
        "ratio_vs_spacy_blank_cpu": round(_CPU[sitroom.analyze] / _CPU[nlp], 2),
        "html_pages": len(html_docs),
        "html_ratio_vs_trafilatura": round(sitroom_html_s / trafilatura_s, 2) if trafilatura_s else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
