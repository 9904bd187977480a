"""Issue 2's acceptance on the reference article, through the real command line.

`sitroom analyze <sample> --published 2017-06-19 --format json`, scored against seed-gold.json
with the evaluation's seed scorer: >= 7 of 8 required figures, all 5 required quotes with the
right speaker, the 4 required places within tolerance, no fact from a caption, "began on
Sunday" resolved, and the two trapped-civilian figures flagged as a contradiction.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.evaluation.metrics import score_seed

from .conftest import SHARED


def test_sample_article_meets_issue_2_acceptance(seed_gold: dict) -> None:
    sample = SHARED / seed_gold["document"]["path"]
    result = CliRunner().invoke(app, ["analyze", str(sample), "--published", "2017-06-19", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    counts = score_seed(report, seed_gold)

    hits, total = counts["figures_required"]
    assert total == 8 and hits >= 7
    assert counts["quotes_speaker"] == (5, 5)
    assert counts["places_tolerance"] == (4, 4)
    assert counts["caption_leaks"][0] == 0
    assert counts["caption_places_in_narrative"][0] == 0
    assert counts["not_figures_produced"][0] == 0
    assert counts["contradictions"] == (1, 1)
    sunday = [d for d in report["dates"] if report["text"][d["start"] : d["end"]].endswith("Sunday")]
    assert any(d["value"] == "2017-06-18" and d["precision"] == "day" for d in sunday)
