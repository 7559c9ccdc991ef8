"""``bench/feed_eval.py`` runs as a plain script and prints both hit rates side by side."""
from __future__ import annotations

import re
import subprocess
import sys

from pasar.config import PROJECT_ROOT


def test_the_evaluation_prints_the_ranker_and_the_baseline_hit_rates() -> None:
    script = PROJECT_ROOT / "bench" / "feed_eval.py"
    done = subprocess.run([sys.executable, str(script), "--buyers", "40", "--products", "60", "--seed", "3"],
                          capture_output=True, text=True, check=True, timeout=120)
    header, numbers = done.stdout.splitlines()[1:3]
    assert header.split() == ["ranker", "popularity"]
    rates = [float(x) for x in re.findall(r"\d\.\d{3}", numbers)]
    assert numbers.startswith("hit-rate@10") and len(rates) == 2
    assert all(0.0 <= rate <= 1.0 for rate in rates)


def test_the_ranker_beats_popularity_on_the_planted_preferences() -> None:
    """The point of personalisation: knowing each buyer's taste finds their next purchase
    more often than "most popular first" does."""
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "bench" / "feed_eval.py"), "--buyers", "120",
                           "--products", "150", "--seed", "7"], capture_output=True, text=True, check=True, timeout=120)
    ranker, baseline = (float(x) for x in re.findall(r"\d\.\d{3}", done.stdout.splitlines()[2]))
    assert ranker > baseline
