"""Scoring throughput: many completed attempts across the whole collection.

Run: python benchmarks/bench_scoring.py [--attempts N]

Prints attempts scored per second for the engine, and the ratio against a baseline measured
in the same run: a bare loop that only sums the same answers (no keys, bands or flags). The
ratio says what the engine's full rules cost over the least possible work; absolute numbers
depend on the machine.
"""

import argparse
import random
import time
import tracemalloc

from diagnostics.engine.algorithm import load_algorithm
from diagnostics.engine.instruments import answer_in_order, load_collection, score
from diagnostics.paths import resource_dir


def complete_attempt(instrument, rng):
    return answer_in_order(
        instrument, lambda item: rng.choice(instrument.option_values(item["id"]))
    )


def make_attempts(collection, count, seed=1):
    rng = random.Random(seed)
    instruments = sorted(collection.values(), key=lambda i: i.id)
    return [
        (
            inst,
            complete_attempt(inst, rng),
            rng.randint(inst.data["ages"]["min"], inst.data["ages"]["max"]),
        )
        for inst in (instruments[n % len(instruments)] for n in range(count))
    ]


def run_engine(attempts):
    for instrument, answers, age in attempts:
        score(instrument, answers, age=age, sex="f", grade=max(1, min(11, age - 6)))


def run_baseline(attempts):
    for _, answers, _ in attempts:
        sum(answers.values())


def timed(function, attempts, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(attempts)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20_000)
    args = parser.parse_args()
    folder = resource_dir("instruments")
    collection = load_collection(folder, load_algorithm(folder / "algorithm" / "unified.yaml"))
    attempts = make_attempts(collection, args.attempts)
    answers = sum(len(a) for _, a, _ in attempts)
    engine = timed(run_engine, attempts)
    baseline = timed(run_baseline, attempts)
    tracemalloc.start()
    run_engine(attempts[:2000])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"instruments: {len(collection)}  attempts: {len(attempts)}  item answers: {answers}")
    print(
        f"engine:   {len(attempts) / engine:10.0f} attempts/s  ({answers / engine:,.0f} answers/s)"
    )
    print(f"baseline: {len(attempts) / baseline:10.0f} attempts/s  (bare sum of the same answers)")
    print(f"ratio engine/baseline time: {engine / baseline:.1f}x")
    print(f"peak extra memory scoring 2,000 attempts: {peak / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
