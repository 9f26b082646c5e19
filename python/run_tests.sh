#!/usr/bin/env bash
# Runs the PyTorch side's tests: installs Debian's python3-torch,
# python3-numpy and python3-scipy with apt-get when torch is missing, runs the
# unit tests (generated modules against lagc, the matcher against torchcfm's
# formulas, models both ways), then a short torchrun job of 2 ranks on CPU
# (gloo) whose model lagc evaluates. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import torch' 2>/dev/null; then
	if command -v apt-get >/dev/null; then
		apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy python3-scipy >/dev/null
		PY=/usr/bin/python3
	else
		echo "python/run_tests.sh: torch is not installed and apt-get is not available; skipping the Python tests" >&2
		exit 0
	fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/lagc" ./cmd/lagc
export LAGC_BIN="$tmp/lagc"

(cd python/tests && "$PY" -m unittest -v test_generated test_matcher test_model 2>&1)

# A short DDP run: 2 ranks, CPU, gloo. Loss must fall, ranks must agree,
# and lagc must evaluate the saved model.
"$LAGC_BIN" gen --lang torch examples/lagrangians/kinetic.lag -o "$tmp/kinetic_lag.py"
TORCHRUN=$(dirname "$PY")/torchrun
command -v "$TORCHRUN" >/dev/null || TORCHRUN=torchrun
# --redirects/--tee 1: torch 1.13's torchrun cannot parse their default "0"
# under Python 3.11 (IntFlag iteration skips zero).
OMP_NUM_THREADS=1 timeout 300 "$TORCHRUN" --standalone --nproc_per_node 2 --redirects 1 --tee 1 \
	examples/torch/train_ddp.py --module "$tmp/kinetic_lag.py" --lag examples/lagrangians/kinetic.lag \
	--iters 150 --batch 64 --hidden 32,32 --log-every 50 --out "$tmp/ddp"
"$PY" - "$tmp/ddp/summary.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["ranks"] == 2, s
assert s["identical_weights"], "ranks ended with different weights: %s" % s
assert s["loss_last"] < 0.7 * s["loss_first"], "loss did not fall: %s" % s
print("torchrun job: loss %.3f -> %.3f, identical weights on %d ranks" % (s["loss_first"], s["loss_last"], s["ranks"]))
PYEOF
"$LAGC_BIN" eval "$tmp/ddp/model.npz" -n 500 --steps 10 >"$tmp/eval.json"
"$PY" - "$tmp/eval.json" <<'PYEOF'
import json, math, sys
e = json.load(open(sys.argv[1]))
assert math.isfinite(e["w2"]) and e["w2"] > 0, e
print("lagc eval of the torchrun model: W2 %.3f" % e["w2"])
PYEOF
