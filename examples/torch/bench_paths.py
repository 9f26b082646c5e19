"""Path-target throughput (pairs/s, batch 256) of generated torch modules
against lagc, for kinetic, harmonic and bump: the same pairs and times, the
path position and velocity of every pair. Run from the repository root:

    python3 examples/torch/bench_paths.py [--threads 2]
"""

import argparse
import json
import os
import subprocess
import sys
import time

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "python", "tests"))
import lagcbin  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    for name, reps_torch, reps_go in (("kinetic", 200, 200), ("harmonic", 200, 200), ("bump", 3, 3)):
        lag = os.path.join(lagcbin.EXAMPLES, name + ".lag")
        s = lagcbin.generate(lag).system()
        g = torch.Generator().manual_seed(1)
        x0 = torch.randn(args.batch, 2, generator=g, dtype=torch.float64)
        x1 = torch.randn(args.batch, 2, generator=g, dtype=torch.float64) + 1.5
        t = torch.rand(args.batch, generator=g, dtype=torch.float64)
        s.path(t, x0, x1)  # warm up caches
        start = time.perf_counter()
        for _ in range(reps_torch):
            s.path(t, x0, x1)
        torch_rate = args.batch * reps_torch / (time.perf_counter() - start)
        go = lagcbin.helper("pathbench", [lag, str(reps_go)], json.dumps({"x0": x0.tolist(), "x1": x1.tolist(), "t": t.tolist()}))
        rows.append((name, torch_rate, go["pairs_per_second"]))
    print("%-10s %14s %14s %8s" % ("lagrangian", "torch pairs/s", "lagc pairs/s", "ratio"))
    for name, a, b in rows:
        print("%-10s %14.0f %14.0f %8.2f" % (name, a, b, a / b))


if __name__ == "__main__":
    main()
