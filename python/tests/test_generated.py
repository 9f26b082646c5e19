"""Generated torch modules against lagc accel and lagc path, for every
examples/lagrangians file and three more (time-dependent, general mass
matrix, many parameters): float64 to 1e-9, float32 to 1e-4, and the same
kinds of errors."""

import json
import math
import os
import sys
import unittest

import torch

import lagcbin

N_ACCEL = 24     # points per file for accel
PAIRS = 4        # pairs per file for path
TIMES = [0.0, 0.15, 0.5, 0.8, 1.0, 0.33]  # 4 pairs × 6 times = 24 points


def points(d, n, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return scale * (2 * torch.rand(n, d, generator=g, dtype=torch.float64) - 1)


def dim_of(mod):
    return mod.System.dim or 2


def close(a, b, tol):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return bool(((a - b).abs() <= tol * (1 + b.abs())).all()), float((a - b).abs().max())


class TestAgainstLagc(unittest.TestCase):
    def test_accel(self):
        for lag in lagcbin.lag_files():
            with self.subTest(lag=os.path.basename(lag)):
                mod = lagcbin.generate(lag)
                s = mod.system()
                d = dim_of(mod)
                x, v = points(d, N_ACCEL, 1), points(d, N_ACCEL, 2)
                t = torch.linspace(0, 1, N_ACCEL, dtype=torch.float64)
                req = [{"t": float(t[i]), "x": x[i].tolist(), "v": v[i].tolist()} for i in range(N_ACCEL)]
                want = torch.tensor(lagcbin.run_json(["accel", lag], json.dumps(req)), dtype=torch.float64)
                got = s.accel(t, x, v)
                ok, err = close(got, want, 1e-9)
                self.assertTrue(ok, "float64 accel differs by %g" % err)
                self.assertEqual(got.dtype, torch.float64)
                got32 = s.accel(t.float(), x.float(), v.float())
                self.assertEqual(got32.dtype, torch.float32)
                ok, err = close(got32, want, 1e-4)
                self.assertTrue(ok, "float32 accel differs by %g" % err)
                # L is finite and batched.
                self.assertEqual(tuple(s.L(t, x, v).shape), (N_ACCEL,))

    def test_path(self):
        for lag in lagcbin.lag_files():
            with self.subTest(lag=os.path.basename(lag)):
                mod = lagcbin.generate(lag)
                s = mod.system()
                d = dim_of(mod)
                x0, x1 = points(d, PAIRS, 3, 0.8), points(d, PAIRS, 4, 0.8)
                S = s.action(x0, x1)
                S32 = s.action(x0.float(), x1.float())
                for i in range(PAIRS):
                    want = lagcbin.run_json(["path", lag, "--x0", ",".join(map(repr, x0[i].tolist())),
                                             "--x1", ",".join(map(repr, x1[i].tolist())),
                                             "--t", ",".join(map(repr, TIMES))])
                    tt = torch.tensor(TIMES, dtype=torch.float64)
                    a, b = x0[i].expand(len(TIMES), d), x1[i].expand(len(TIMES), d)
                    xt, vt = s.path(tt, a, b)
                    for name, got, ref in (("x", xt, want["x"]), ("v", vt, want["v"])):
                        ok, err = close(got, ref, 1e-9)
                        self.assertTrue(ok, "pair %d: float64 %s differs by %g" % (i, name, err))
                    ok, err = close(S[i], want["action"], 1e-9)
                    self.assertTrue(ok, "pair %d: action differs by %g" % (i, err))
                    xt32, vt32 = s.path(tt.float(), a.float(), b.float())
                    self.assertEqual(xt32.dtype, torch.float32)
                    for name, got, ref in (("x", xt32, want["x"]), ("v", vt32, want["v"])):
                        ok, err = close(got, ref, 1e-4)
                        self.assertTrue(ok, "pair %d: float32 %s differs by %g" % (i, name, err))
                    ok, err = close(S32[i], want["action"], 1e-4)
                    self.assertTrue(ok, "pair %d: float32 action differs by %g" % (i, err))

    def test_self_contained(self):
        # The module imports nothing but math and torch, and imports from
        # its own directory in a fresh interpreter.
        import re
        import subprocess
        mod = lagcbin.generate(os.path.join(lagcbin.EXAMPLES, "pendulum.lag"))
        with open(mod.__file__) as f:
            imports = set(re.findall(r"^(?:import|from) (\w+)", f.read(), re.M))
        self.assertEqual(imports, {"math", "torch"})
        d = os.path.dirname(mod.__file__)
        p = subprocess.run([sys.executable, "-c", "import pendulum_lag, torch; print(pendulum_lag.system(k=2).k)"], cwd=d, capture_output=True, text=True, env={"PATH": os.environ.get("PATH", "")})
        self.assertEqual(p.stdout.strip(), "2.0", p.stderr)

    def test_cost_matrix(self):
        mod = lagcbin.generate(os.path.join(lagcbin.EXAMPLES, "bump.lag"))
        s = mod.system()
        x0, x1 = points(2, 3, 5), points(2, 4, 6)
        C = s.cost_matrix(x0, x1)
        self.assertEqual(tuple(C.shape), (3, 4))
        for i in range(3):
            for j in range(4):
                self.assertAlmostEqual(float(C[i, j]), float(s.action(x0[i:i + 1], x1[j:j + 1])[0]), delta=1e-12)


def lagc_error(args, stdin=None):
    code, out, err = lagcbin.run(args, stdin)
    return code, lagcbin.error_kind(err)


class TestErrors(unittest.TestCase):
    def test_conjugate_closed_form(self):
        # ω = 4 > π: the closed-form stationary path is not a minimum.
        lag = os.path.join(lagcbin.EXAMPLES, "harmonic.lag")
        code, kind = lagc_error(["path", lag, "-p", "w=4", "--x0", "0.1,0.2", "--x1", "0.3,-0.1"])
        self.assertEqual((code, kind), (1, "ConjugatePointError"))
        mod = lagcbin.generate(lag, {"w": 4}, name="harmonic4_lag")
        with self.assertRaises(mod.ConjugatePointError):
            mod.system().path(0.5, torch.tensor([[0.1, 0.2]]), torch.tensor([[0.3, -0.1]]))
        # Parameters changed after generation are followed.
        s = lagcbin.generate(lag).system(w=4)
        with self.assertRaises(Exception) as cm:
            s.action(torch.tensor([[0.1, 0.2]]), torch.tensor([[0.3, -0.1]]))
        self.assertEqual(type(cm.exception).__name__, "ConjugatePointError")

    def test_conjugate_numeric(self):
        # Stiff pendulums (ω = √20 > π for small swings): nonlinear, so
        # solved numerically, and the stationary path is a saddle.
        lag = os.path.join(lagcbin.EXAMPLES, "pendulum.lag")
        code, kind = lagc_error(["path", lag, "-p", "k=20", "--x0", "0.1,0.05", "--x1", "-0.1,0.02"])
        self.assertEqual((code, kind), (1, "ConjugatePointError"))
        mod = lagcbin.generate(lag, {"k": 20}, name="pendulum20_lag")
        with self.assertRaises(mod.ConjugatePointError):
            mod.system().action(torch.tensor([[0.1, 0.05]], dtype=torch.float64), torch.tensor([[-0.1, 0.02]], dtype=torch.float64))

    def test_degenerate(self):
        lag = os.path.join(lagcbin.tmpdir(), "shrinking.lag")
        with open(lag, "w") as f:
            f.write("L = 0.5*(1 - |x|^2)*|v|^2\n")
        req = json.dumps([{"t": 0, "x": [1.5, 0], "v": [1, 0]}])
        code, kind = lagc_error(["accel", lag], req)
        self.assertEqual((code, kind), (1, "DegenerateError"))
        mod = lagcbin.generate(lag)
        s = mod.system()
        a = s.accel(0.0, torch.tensor([[1.5, 0.0], [0.1, 0.0]]), torch.tensor([[1.0, 0.0], [1.0, 0.0]]))
        self.assertTrue(bool(torch.isnan(a[0]).all()) and bool(torch.isfinite(a[1]).all()))
        with self.assertRaises(mod.DegenerateError):
            s.accel_err(0.0, torch.tensor([[1.5, 0.0]]), torch.tensor([[1.0, 0.0]]))
        code, kind = lagc_error(["path", lag, "--x0", "0.5,0", "--x1", "2,0"])
        self.assertEqual(code, 1)
        with self.assertRaises(mod.LagcError) as cm:
            s.path(0.5, torch.tensor([[0.5, 0.0]], dtype=torch.float64), torch.tensor([[2.0, 0.0]], dtype=torch.float64))
        self.assertEqual(type(cm.exception).__name__, kind)

    def test_degenerate_at_generation(self):
        lag = os.path.join(lagcbin.tmpdir(), "linear.lag")
        with open(lag, "w") as f:
            f.write("L = x[0]*v[0]\n")
        code, _, err = lagcbin.run(["gen", "--lang", "torch", lag, "-o", os.path.join(lagcbin.tmpdir(), "linear_lag.py")])
        self.assertEqual(code, 1)
        self.assertIn("degenerate", err)

    def test_input_errors(self):
        mod = lagcbin.generate(os.path.join(lagcbin.EXAMPLES, "magnetic.lag"))
        s = mod.system()
        with self.assertRaises(ValueError):
            s.accel(0.0, torch.zeros(3, 3), torch.zeros(3, 3))  # dim 2 fixed
        with self.assertRaises(ValueError):
            s.path(1.5, torch.zeros(1, 2), torch.zeros(1, 2))
        with self.assertRaises(TypeError):
            mod.system(nope=1)
        with self.assertRaises(ValueError):
            s.action(torch.zeros(1, 2), torch.full((1, 2), math.nan))


if __name__ == "__main__":
    unittest.main()
