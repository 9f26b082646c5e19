#!/usr/bin/python3
"""torchcfm-style reference numbers for lagc's 2-D parity table (issue 13).

Trains I-CFM, OT-CFM, SB-CFM and VP-CFM from a standard normal to moons with
the matchers of torchcfm (conditional_flow_matching.py) written out here in
a few lines each, POT for the couplings (ot.emd; ot.sinkhorn for SB-CFM with
reg = 2σ², sampled from the flattened plan with replacement as torchcfm's
OTPlanSampler does), and the same network and optimiser as lagc's defaults
(MLP [x, t] → 3×64 SELU → v, Adam lr 1e-3, batch 256, EMA 0.999). Then:

  W2  exact 2-Wasserstein (ot.emd2 on squared distances, square root)
      between N generated points (RK4, 20 steps) and N fresh moons;
  NLL mean negative log-likelihood (nats) of N fresh moons under the flow,
      by the instantaneous change of variables integrated backwards with
      RK4 (100 steps) and the exact divergence (one autograd pass per
      dimension).

Moons are drawn exactly as lagc's data.Moons (torchcfm's sample_moons).
Usage: torchcfm_reference.py [--iters 2000] [--seeds 3] [--n 2048]
Prints one JSON object per (method, seed) line and a Markdown table.
Needs Debian's python3-torch and python3-pot; the Go module never runs it.
"""
import argparse, json, math, sys, time

import numpy as np
import ot
import torch

torch.set_num_threads(1)



def moons(n, gen):
    n_out, n_in = n // 2, n - n // 2
    s_out, s_in = np.linspace(0, math.pi, n_out), np.linspace(0, math.pi, n_in)
    x = np.concatenate([np.stack([np.cos(s_out), np.sin(s_out)], 1),
                        np.stack([1 - np.cos(s_in), 1 - np.sin(s_in) - 0.5], 1)])
    u = 0.2 * gen.random((n, 1))
    return torch.from_numpy(3 * (x + u) - 1).float()


def net():
    return torch.nn.Sequential(torch.nn.Linear(3, 64), torch.nn.SELU(), torch.nn.Linear(64, 64), torch.nn.SELU(),
                               torch.nn.Linear(64, 64), torch.nn.SELU(), torch.nn.Linear(64, 2))


def plan_pairs(x0, x1, method, reg, gen):
    a, b = ot.unif(len(x0)), ot.unif(len(x1))
    m = torch.cdist(x0, x1).numpy() ** 2
    p = ot.emd(a, b, m.astype(np.float64)) if method == "exact" else ot.sinkhorn(a, b, m.astype(np.float64), reg=reg)
    p = p.flatten() / p.sum()
    if not np.all(np.isfinite(p)):  # torchcfm falls back to the uniform plan
        p = np.full_like(p, 1 / p.size)
    c = gen.choice(p.size, p=p, size=len(x0), replace=True)
    i, j = np.divmod(c, m.shape[1])
    return x0[i], x1[j]


def targets(kind, x0, x1, sigma, gen):
    t = torch.rand(len(x0), 1)
    eps = torch.randn_like(x0)
    if kind == "VP":
        c, s = torch.cos(math.pi / 2 * t), torch.sin(math.pi / 2 * t)
        return t, c * x0 + s * x1 + sigma * eps, math.pi / 2 * (c * x1 - s * x0)
    if kind == "OT-CFM":
        x0, x1 = plan_pairs(x0, x1, "exact", 0, gen)
    if kind == "SB-CFM":
        x0, x1 = plan_pairs(x0, x1, "sinkhorn", 2 * sigma ** 2, gen)
        mu = t * x1 + (1 - t) * x0
        st = sigma * torch.sqrt(t * (1 - t))
        xt = mu + st * eps
        return t, xt, (1 - 2 * t) / (2 * t * (1 - t) + 1e-8) * (xt - mu) + x1 - x0
    return t, t * x1 + (1 - t) * x0 + sigma * eps, x1 - x0


def field(model, x, t):
    return model(torch.cat([x, torch.full((len(x), 1), float(t))], 1))


def rk4(f, y, t0, t1, steps):
    h = (t1 - t0) / steps
    for k in range(steps):
        t = t0 + k * h
        k1 = f(t, y); k2 = f(t + h / 2, y + h / 2 * k1); k3 = f(t + h / 2, y + h / 2 * k2); k4 = f(t + h, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def nll(model, x1, steps=100):
    d = x1.shape[1]

    def aug(t, y):
        with torch.enable_grad():
            x = y[:, :d].detach().requires_grad_(True)
            v = field(model, x, t)
            div = sum(torch.autograd.grad(v[:, j].sum(), x, retain_graph=True)[0][:, j] for j in range(d))
        return torch.cat([v.detach(), div.detach()[:, None]], 1)

    y = rk4(aug, torch.cat([x1, torch.zeros(len(x1), 1)], 1), 1.0, 0.0, steps)
    x0, acc = y[:, :d], y[:, d]
    logp0 = -0.5 * (x0 ** 2).sum(1) - 0.5 * d * math.log(2 * math.pi)
    return float(-(logp0 + acc).mean())


def run(kind, seed, iters, n):
    torch.manual_seed(seed)
    gen = np.random.default_rng(seed)
    model = net()
    ema = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sigma = 1.0 if kind == "SB-CFM" else 0.1
    start = time.time()
    for k in range(iters):
        x0, x1 = torch.randn(256, 2), moons(256, gen)
        t, xt, ut = targets(kind, x0, x1, sigma, gen)
        loss = ((model(torch.cat([xt, t], 1)) - ut) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        decay = min(0.999, (1 + k) / (10 + k))
        with torch.no_grad():
            for e, p in zip(ema, model.parameters()):
                e.mul_(decay).add_(p, alpha=1 - decay)
    secs = time.time() - start
    with torch.no_grad():
        for e, p in zip(ema, model.parameters()):
            p.copy_(e)
        gen_x = rk4(lambda t, y: field(model, y, t), torch.randn(n, 2), 0.0, 1.0, 20)
        ref = moons(n, gen)
        w2 = math.sqrt(ot.emd2(ot.unif(n), ot.unif(n), (torch.cdist(gen_x, ref) ** 2).numpy().astype(np.float64), numItermax=10**7))
    return {"method": kind, "seed": seed, "w2": w2, "nll": nll(model, moons(n, gen)), "iters": iters,
            "it_per_s": iters / secs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--n", type=int, default=2048)
    ap.add_argument("--methods", default="I-CFM,OT-CFM,SB-CFM,VP")
    a = ap.parse_args()
    rows = []
    for kind in a.methods.split(","):
        for seed in range(1, a.seeds + 1):
            r = run(kind, seed, a.iters, a.n)
            rows.append(r)
            print(json.dumps(r), flush=True)
    print("| method | W2 (mean ± std) | NLL nats (mean ± std) | it/s |")
    print("| --- | --- | --- | --- |")
    for kind in a.methods.split(","):
        g = [r for r in rows if r["method"] == kind]
        w, l, s = (np.array([r[k] for r in g]) for k in ("w2", "nll", "it_per_s"))
        sd = lambda v: v.std(ddof=1) if len(v) > 1 else 0.0
        print(f"| {kind} | {w.mean():.3f} ± {sd(w):.3f} | {l.mean():.3f} ± {sd(l):.3f} | {s.mean():.0f} |")


if __name__ == "__main__":
    sys.exit(main())
