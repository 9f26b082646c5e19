"""Models both ways: a lagc-trained model exported to .npz, read by
load_model, its velocities equal to lagc's own network code (float64,
1e-12) on 1,000 points, written back by save_model and read by lagc again
(identical velocities); lagc sample/eval accept the .npz."""

import json
import os
import sys
import unittest
import zipfile

import torch

import lagcbin

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lagc_torch import MLP, load_model, save_model  # noqa: E402

_run = None


def trained_run():
    """A short lagc training run (cached for the module's tests)."""
    global _run
    if _run is None:
        out = os.path.join(lagcbin.tmpdir(), "gorun")
        code, _, err = lagcbin.run(["train", "-o", out, "-iters", "30", "-batch", "64", "-hidden", "32,32",
                                    "-act", "silu", "-eval-n", "0", "-no-plot", "-quiet"])
        if code != 0:
            raise RuntimeError("lagc train: " + err)
        _run = out
    return _run


def go_velocities(npz, x, t):
    return torch.tensor(lagcbin.helper("velref", [npz], json.dumps({"x": x.tolist(), "t": t.tolist()})), dtype=torch.float64)


class TestModelsBothWays(unittest.TestCase):
    def test_go_to_torch_and_back(self):
        run = trained_run()
        npz = os.path.join(lagcbin.tmpdir(), "go_model.npz")
        code, _, err = lagcbin.run(["export", os.path.join(run, "model.ckpt"), "-o", npz, "-f"])
        self.assertEqual(code, 0, err)
        g = torch.Generator().manual_seed(1)
        x = 2 * torch.randn(1000, 2, generator=g, dtype=torch.float64)
        t = torch.rand(1000, generator=g, dtype=torch.float64)
        want = go_velocities(npz, x, t)
        model = load_model(npz)
        self.assertEqual(model.activation, "silu")
        self.assertEqual(model.sizes, [3, 32, 32, 2])
        self.assertEqual(model.run["target"], "moons")
        with torch.no_grad():
            got = model(t, x)
        self.assertLess(float((got - want).abs().max()), 1e-12)
        # And back: the torch module saved and read by lagc.
        back = os.path.join(lagcbin.tmpdir(), "torch_model.npz")
        save_model(model, back)
        again = go_velocities(back, x, t)
        self.assertTrue(torch.equal(again, want), "velocities after the round trip differ by %g" % float((again - want).abs().max()))
        # lagc sample and lagc eval read the archive.
        code, out, err = lagcbin.run(["sample", back, "-n", "50", "--steps", "4"])
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.strip().splitlines()), 50)
        code, out, err = lagcbin.run(["eval", back, "-n", "200", "--steps", "4"])
        self.assertEqual(code, 0, err)
        self.assertIn("w2", json.loads(out))

    def test_torch_model_to_lagc(self):
        torch.manual_seed(3)
        model = MLP([4, 16, 3], "tanh", run={"source": "gaussian", "target": "gaussian", "dim": 3}).double()
        path = os.path.join(lagcbin.tmpdir(), "tanh.npz")
        save_model(model, path)
        x = torch.randn(100, 3, dtype=torch.float64)
        t = torch.rand(100, dtype=torch.float64)
        with torch.no_grad():
            want = model(t, x)
        self.assertLess(float((go_velocities(path, x, t) - want).abs().max()), 1e-12)
        # Files lagc refuses: compressed members, unknown members.
        bad = os.path.join(lagcbin.tmpdir(), "bad.npz")
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in zin.namelist():
                zout.writestr(name, zin.read(name))
        code, _, err = lagcbin.run(["sample", bad, "-n", "5"])
        self.assertEqual(code, 1)
        self.assertIn("compressed", err)

    def test_load_rejects(self):
        path = os.path.join(lagcbin.tmpdir(), "m.npz")
        save_model(MLP([3, 8, 2], "relu"), path)
        with zipfile.ZipFile(path) as zin:
            members = {n: zin.read(n) for n in zin.namelist()}
        bad = os.path.join(lagcbin.tmpdir(), "extra.npz")
        with zipfile.ZipFile(bad, "w") as z:
            for n, b in members.items():
                z.writestr(n, b)
            z.writestr("extra.npy", members["layers.1.bias.npy"])
        with self.assertRaises(ValueError):
            load_model(bad)
        with self.assertRaises(ValueError):
            MLP([3, 8, 3])  # not a velocity field of x and t
        with self.assertRaises(ValueError):
            MLP([3, 8, 2], "gelu")


if __name__ == "__main__":
    unittest.main()
