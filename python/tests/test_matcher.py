"""LagrangianFlowMatcher against torchcfm's formulas (re-implemented here
from its documented behaviour, independently of lagc_torch) and its OT
coupling against lagc's."""

import json
import math
import os
import sys
import unittest

import torch

import lagcbin

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lagc_torch import LagrangianFlowMatcher, assign  # noqa: E402
from lagc_torch import assignment  # noqa: E402


def batch(n, d, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, d, generator=g, dtype=torch.float64), torch.randn(n, d, generator=g, dtype=torch.float64) + 2


def brute_force_assignment(cost):
    """Exact OT plan of a small square problem by enumerating permutations."""
    import itertools
    n = cost.shape[0]
    best, arg = math.inf, None
    for p in itertools.permutations(range(n)):
        c = sum(float(cost[i, p[i]]) for i in range(n))
        if c < best:
            best, arg = c, p
    return torch.tensor(arg)


class TorchCFMReference:
    """torchcfm's formulas: OT-CFM (straight line, σ constant, squared
    Euclidean exact OT) and the trigonometric VP path."""

    @staticmethod
    def otcfm(x0, x1, t, eps, sigma):
        cost = torch.cdist(x0, x1) ** 2
        perm = brute_force_assignment(cost) if x0.shape[0] <= 7 else None
        if perm is not None:
            x1 = x1[perm]
        tt = t.reshape(-1, 1)
        mu = tt * x1 + (1 - tt) * x0
        return t, mu + sigma * eps, x1 - x0

    @staticmethod
    def vp(x0, x1, t, eps, sigma):
        tt = t.reshape(-1, 1)
        mu = torch.cos(math.pi / 2 * tt) * x0 + torch.sin(math.pi / 2 * tt) * x1
        ut = math.pi / 2 * (torch.cos(math.pi / 2 * tt) * x1 - torch.sin(math.pi / 2 * tt) * x0)
        return t, mu + sigma * eps, ut


class TestMatcher(unittest.TestCase):
    def test_kinetic_is_otcfm(self):
        s = lagcbin.generate(os.path.join(lagcbin.EXAMPLES, "kinetic.lag")).system()
        for seed in range(3):
            x0, x1 = batch(7, 2, seed)
            fm = LagrangianFlowMatcher(s, sigma=0.1, coupling="ot")
            t = torch.rand(7, dtype=torch.float64)
            tt, xt, ut, eps = fm.sample_location_and_conditional_flow(x0, x1, t=t, return_noise=True)
            rt, rxt, rut = TorchCFMReference.otcfm(x0, x1, t, eps, 0.1)
            self.assertTrue(torch.equal(tt, rt))
            self.assertLess(float((xt - rxt).abs().max()), 1e-12)
            self.assertLess(float((ut - rut).abs().max()), 1e-12)

    def test_harmonic_is_vp(self):
        s = lagcbin.generate(os.path.join(lagcbin.EXAMPLES, "harmonic.lag")).system()
        self.assertAlmostEqual(s.w, math.pi / 2, delta=0)
        x0, x1 = batch(64, 3, 4)
        fm = LagrangianFlowMatcher(s, sigma=0.05, coupling="independent")
        torch.manual_seed(0)
        t, xt, ut, eps = fm.sample_location_and_conditional_flow(x0, x1, return_noise=True)
        self.assertEqual(t.dtype, torch.float64)
        self.assertEqual(tuple(t.shape), (64,))
        rt, rxt, rut = TorchCFMReference.vp(x0, x1, t, eps, 0.05)
        self.assertLess(float((xt - rxt).abs().max()), 1e-12)
        self.assertLess(float((ut - rut).abs().max()), 1e-12)
        # Without return_noise: three values, as torchcfm.
        self.assertEqual(len(fm.sample_location_and_conditional_flow(x0, x1)), 3)

    def test_sigma_zero_and_float32(self):
        s = lagcbin.generate(os.path.join(lagcbin.EXAMPLES, "kinetic.lag")).system()
        x0, x1 = batch(16, 2, 9)
        fm = LagrangianFlowMatcher(s, sigma=0.0, coupling="independent")
        t, xt, ut = fm.sample_location_and_conditional_flow(x0.float(), x1.float())
        self.assertEqual(xt.dtype, torch.float32)
        self.assertLess(float((xt - (t[:, None] * x1.float() + (1 - t[:, None]) * x0.float())).abs().max()), 1e-6)
        with self.assertRaises(ValueError):
            LagrangianFlowMatcher(s, coupling="sinkhorn")
        with self.assertRaises(ValueError):
            LagrangianFlowMatcher(s, sigma=-1)

    def test_ot_coupling_equals_lagc(self):
        for name, n in (("bump", 24), ("harmonic", 32), ("magnetic", 32)):
            with self.subTest(lag=name):
                lag = os.path.join(lagcbin.EXAMPLES, name + ".lag")
                s = lagcbin.generate(lag).system()
                x0, x1 = batch(n, 2, 11)
                ref = lagcbin.helper("otref", stdin=json.dumps({"lag": lag, "x0": x0.tolist(), "x1": x1.tolist()}))
                C = s.cost_matrix(x0, x1)
                rc = torch.tensor(ref["cost"], dtype=torch.float64)
                self.assertLess(float(((C - rc).abs() / (1 + rc.abs())).max()), 1e-9)
                fm = LagrangianFlowMatcher(s, coupling="ot")
                perm = fm.ot_plan(x0, x1)
                self.assertEqual(perm.tolist(), ref["assign"])
                # The pure-torch fallback finds the same plan.
                self.assertEqual(assign(C, use_scipy=False).tolist(), ref["assign"])


class TestAssignment(unittest.TestCase):
    def test_fallback_is_optimal(self):
        g = torch.Generator().manual_seed(3)
        for n in (1, 2, 5, 6):
            c = torch.rand(n, n, generator=g, dtype=torch.float64)
            want = brute_force_assignment(c)
            self.assertEqual(assign(c, use_scipy=False).tolist(), want.tolist())
        c = torch.rand(60, 60, generator=g, dtype=torch.float64)
        p = assign(c, use_scipy=False)
        self.assertEqual(sorted(p.tolist()), list(range(60)))
        if assignment._lsa is not None:
            q = assign(c)
            self.assertAlmostEqual(float(c[torch.arange(60), p].sum()), float(c[torch.arange(60), q].sum()), delta=1e-12)

    def test_rejects_bad_costs(self):
        with self.assertRaises(ValueError):
            assign(torch.zeros(2, 3))
        with self.assertRaises(ValueError):
            assign(torch.tensor([[0.0, math.nan], [1.0, 2.0]]))


if __name__ == "__main__":
    unittest.main()
