#!/usr/bin/python3
"""Iterations per second of OT-CFM in the usual Python stack, for the side-by-side
figure in README.md: PyTorch + POT, 8gaussians → moons, MLP [x, t] → 3×64 SELU → v,
Adam lr 1e-3, batch 256, σ = 0.1, exact minibatch OT by POT's ot.emd on squared
distances with torchcfm's OTPlanSampler (pairs drawn from the flattened plan).

Run it in the same minute as lagc's benchmark, so the ratio holds on a shared machine:

    /usr/bin/python3 examples/torch/bench_otcfm.py --seconds 10
    go test ./runtime/fm -run '^$' -bench 'Train/kinetic.lag/w64$' -benchtime 3s

It also prints the mean time of ot.emd alone on the same 256×256 costs.
Needs Debian's python3-torch and python3-pot; the Go module never runs it.
"""
import argparse, math, time

import numpy as np
import ot
import torch


def eight_gaussians(n, gen):
    # As lagc's data.EightGaussians (torchcfm's sample_8gaussians): centres at
    # scale 5, per-axis standard deviation 0.1^(1/4).
    centers = [(1, 0), (-1, 0), (0, 1), (0, -1), (1 / math.sqrt(2), 1 / math.sqrt(2)),
               (1 / math.sqrt(2), -1 / math.sqrt(2)), (-1 / math.sqrt(2), 1 / math.sqrt(2)),
               (-1 / math.sqrt(2), -1 / math.sqrt(2))]
    c = 5 * torch.tensor(centers, dtype=torch.float32)
    idx = torch.from_numpy(gen.integers(0, 8, n))
    return c[idx] + 0.1 ** 0.25 * torch.from_numpy(gen.standard_normal((n, 2))).float()


def moons(n, gen):
    n_out, n_in = n // 2, n - n // 2
    s_out, s_in = np.linspace(0, math.pi, n_out), np.linspace(0, math.pi, n_in)
    x = np.concatenate([np.stack([np.cos(s_out), np.sin(s_out)], 1),
                        np.stack([1 - np.cos(s_in), 1 - np.sin(s_in) - 0.5], 1)])
    u = 0.2 * gen.random((n, 1))
    return torch.from_numpy(3 * (x + u) - 1).float()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    gen = np.random.default_rng(1)
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(3, 64), torch.nn.SELU(), torch.nn.Linear(64, 64), torch.nn.SELU(),
                                torch.nn.Linear(64, 64), torch.nn.SELU(), torch.nn.Linear(64, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sigma, n = 0.1, a.batch
    emd_time, emd_calls = 0.0, 0

    def step():
        nonlocal emd_time, emd_calls
        x0, x1 = eight_gaussians(n, gen), moons(n, gen)
        m = (torch.cdist(x0, x1) ** 2).numpy().astype(np.float64)
        t0 = time.perf_counter()
        p = ot.emd(ot.unif(n), ot.unif(n), m)
        emd_time += time.perf_counter() - t0
        emd_calls += 1
        p = p.flatten() / p.sum()
        c = gen.choice(p.size, p=p, size=n, replace=True)
        i, j = np.divmod(c, n)
        x0, x1 = x0[i], x1[j]
        t = torch.rand(n, 1)
        xt = t * x1 + (1 - t) * x0 + sigma * torch.randn_like(x0)
        loss = ((model(torch.cat([xt, t], 1)) - (x1 - x0)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(20):  # warm up
        step()
    emd_time, emd_calls = 0.0, 0
    iters, start = 0, time.perf_counter()
    while time.perf_counter() - start < a.seconds:
        step()
        iters += 1
    el = time.perf_counter() - start
    print("PyTorch %s + POT %s, torch threads %d: %.1f it/s (%.3f ms/iter); ot.emd %.3f ms/call" % (
        torch.__version__, ot.__version__, torch.get_num_threads(), iters / el, 1e3 * el / iters, 1e3 * emd_time / emd_calls))


if __name__ == "__main__":
    main()
