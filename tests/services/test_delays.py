"""Handover-delay percentiles read from bucket counts: against the exact percentile."""

import random
from datetime import date

import pytest

from services.reporting import delays
from services.reporting.periods import Period
from tests.report_workload import percentile


def histogram(values):
    """Bucket rows as report_delay keeps them, from raw delays (whole seconds)."""
    rows = {}
    for v in values:
        row = rows.setdefault(delays.bucket(v), [0, v, v, 0])
        row[0] += 1
        row[1], row[2], row[3] = min(row[1], v), max(row[2], v), row[3] + v
    return [(b, n, low, high, total) for b, (n, low, high, total) in rows.items()]


def test_buckets_cover_every_delay_once_each_two_percent_wider():
    assert delays.bucket(0) == delays.bucket(59) == 0 and delays.bucket(-5) == 0
    for seconds in (60, 61, 3_599, 3_600, 86_400, 30 * 86_400, 365 * 86_400):
        low, high = delays.bounds(delays.bucket(seconds))
        assert low <= seconds < high * 1.000001
    assert delays.bucket(365 * 86_400) < 900
    low, high = delays.bounds(500)
    assert high / low == pytest.approx(1.02)


@pytest.mark.parametrize("seed", range(5))
def test_many_delays_give_the_exact_percentiles_within_two_per_cent(seed):
    rng = random.Random(seed)
    values = [round(rng.lognormvariate(11, 0.8)) for _ in range(rng.randint(2_000, 20_000))]
    buckets = histogram(values)
    for fraction in (0.5, 0.9):
        exact = percentile(sorted(values), fraction)
        assert delays.percentile(buckets, fraction) == pytest.approx(exact, rel=0.02)


def test_few_or_equal_delays_are_exact():
    for values in ([3_600], [86_400, 90_000], [7_200] * 7, [100, 100_000, 2_000_000]):
        buckets = histogram(values)
        for fraction in (0.5, 0.9):
            assert delays.percentile(buckets, fraction) == pytest.approx(
                percentile(sorted(values), fraction)
            )
    assert delays.percentile([], 0.5) is None


def test_a_period_reads_whole_months_and_the_days_at_its_ends():
    windows = delays._windows(Period(date(2026, 2, 20), date(2026, 4, 5)))
    text = [str(w.compile(compile_kwargs={"literal_binds": True})) for w in windows]
    assert "'m'" in text[0] and "'2026-03-01'" in text[0] and "'2026-04-01'" in text[0]
    assert "'2026-02-20'" in text[1] and "'2026-03-01'" in text[1]
    assert "'2026-04-01'" in text[2] and "'2026-04-05'" in text[2]
    (only_days,) = delays._windows(Period(date(2026, 3, 3), date(2026, 3, 30)))
    assert "'d'" in str(only_days.compile(compile_kwargs={"literal_binds": True}))
    (one_month,) = [
        w
        for w in delays._windows(Period(date(2026, 3, 1), date(2026, 3, 31)))
        if "'m'" in str(w.compile(compile_kwargs={"literal_binds": True}))
    ]
    assert one_month is not None
