"""Runs the lagc binary for the tests: $LAGC_BIN if set, else built once
from the repository this directory belongs to."""

import importlib.util
import json
import os
import subprocess
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO, "examples", "lagrangians")
TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
_bin = None
_tmp = None


def tmpdir():
    global _tmp
    if _tmp is None:
        _tmp = tempfile.TemporaryDirectory(prefix="lagc_torch_tests_")
    return _tmp.name


def binary():
    global _bin
    if _bin is None:
        _bin = os.environ.get("LAGC_BIN")
        if not _bin:
            _bin = os.path.join(tmpdir(), "lagc")
            subprocess.run(["go", "build", "-o", _bin, "./cmd/lagc"], cwd=REPO, check=True)
    return _bin


def run(args, stdin=None):
    """Runs lagc; returns (exit status, stdout, stderr)."""
    p = subprocess.run([binary()] + list(args), input=stdin, capture_output=True, text=True, cwd=REPO)
    return p.returncode, p.stdout, p.stderr


def run_json(args, stdin=None):
    code, out, err = run(args, stdin)
    if code != 0:
        raise RuntimeError("lagc %s: exit %d: %s" % (" ".join(args), code, err))
    return json.loads(out)


def generate(lag, params=None, name=None):
    """Generates the torch module of the .lag file lag and imports it."""
    name = name or os.path.splitext(os.path.basename(lag))[0] + "_lag"
    out = os.path.join(tmpdir(), name + ".py")
    args = ["gen", "--lang", "torch", lag, "-o", out, "-f"]
    for k, v in (params or {}).items():
        args += ["-p", "%s=%r" % (k, v)]
    code, _, err = run(args)
    if code != 0:
        raise RuntimeError("lagc gen: " + err)
    spec = importlib.util.spec_from_file_location(name, out)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def lag_files():
    files = sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES) if f.endswith(".lag"))
    files += sorted(os.path.join(TESTDATA, f) for f in os.listdir(TESTDATA) if f.endswith(".lag"))
    return files


def error_kind(text):
    """The kind of a lagc error message, as the torch module's exception names it."""
    t = text.lower()
    if "conjugate point" in t:
        return "ConjugatePointError"
    if "degenerate" in t or "not finite" in t:
        return "DegenerateError"
    if "no convergence" in t:
        return "NoConvergenceError"
    return "other"


_helpers = {}


def helper(name, args=(), stdin=None):
    """Runs the Go helper python/tests/testdata/NAME (built once); returns its
    JSON output."""
    if name not in _helpers:
        exe = os.path.join(tmpdir(), name)
        subprocess.run(["go", "build", "-o", exe, "./python/tests/testdata/" + name], cwd=REPO, check=True)
        _helpers[name] = exe
    p = subprocess.run([_helpers[name]] + list(args), input=stdin, capture_output=True, text=True, cwd=REPO)
    if p.returncode != 0:
        raise RuntimeError("%s: %s" % (name, p.stderr))
    return json.loads(p.stdout)
