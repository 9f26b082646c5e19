"""Exact linear assignment for minibatch OT."""

import math

import torch

try:  # scipy is optional
    from scipy.optimize import linear_sum_assignment as _lsa
except ImportError:  # pragma: no cover - depends on the machine
    _lsa = None


def assign(cost, use_scipy=True):
    """Returns perm with perm[i] the column assigned to row i, minimising
    Σ cost[i, perm[i]] over permutations of an [n, n] cost matrix.

    scipy.optimize.linear_sum_assignment is used when scipy is installed
    (and use_scipy is true); otherwise the Hungarian method with shortest
    augmenting paths and dual potentials (O(n³), each row's search
    vectorised over the columns in torch), which is exact as well: both
    return an optimal permutation; with ties they may pick different ones.
    """
    if cost.dim() != 2 or cost.shape[0] != cost.shape[1]:
        raise ValueError("the cost matrix must be square, got shape %s" % (tuple(cost.shape),))
    if not bool(torch.isfinite(cost).all()):
        raise ValueError("the cost matrix has non-finite entries")
    c = cost.detach().to("cpu", torch.float64)
    if use_scipy and _lsa is not None:
        rows, cols = _lsa(c.numpy())
        perm = torch.empty(c.shape[0], dtype=torch.long)
        perm[torch.as_tensor(rows)] = torch.as_tensor(cols)
        return perm
    return _hungarian(c)


def _hungarian(c):
    n = c.shape[0]
    inf = math.inf
    # 1-based arrays with a virtual column 0 (the classic formulation).
    u = torch.zeros(n + 1, dtype=torch.float64)
    v = torch.zeros(n + 1, dtype=torch.float64)
    p = torch.zeros(n + 1, dtype=torch.long)  # p[j]: row matched to column j
    way = torch.zeros(n + 1, dtype=torch.long)
    big = torch.zeros(n + 1, n + 1, dtype=torch.float64)
    big[1:, 1:] = c
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = torch.full((n + 1,), inf, dtype=torch.float64)
        used = torch.zeros(n + 1, dtype=torch.bool)
        while True:
            used[j0] = True
            i0 = int(p[j0])
            cur = big[i0] - u[i0] - v
            free = ~used
            free[0] = False
            better = free & (cur < minv)
            minv = torch.where(better, cur, minv)
            way = torch.where(better, torch.full_like(way, j0), way)
            masked = torch.where(free, minv, torch.full_like(minv, inf))
            j1 = int(torch.argmin(masked))
            delta = float(masked[j1])
            u[p[used]] += delta
            v[used] -= delta
            minv = torch.where(free, minv - delta, minv)
            j0 = j1
            if int(p[j0]) == 0:
                break
        while j0 != 0:
            j1 = int(way[j0])
            p[j0] = p[j1]
            j0 = j1
    perm = torch.empty(n, dtype=torch.long)
    perm[p[1:] - 1] = torch.arange(n)
    return perm
