#!/usr/bin/env bash
# W2 of torchrun-trained (2 ranks × half the batch, DDP) and lagc-trained
# models at equal iterations, 8gaussians → moons on the kinetic Lagrangian
# (OT-CFM), three seeds; both evaluated by lagc eval with the same seed.
# Usage: examples/torch/compare_w2.sh [ITERS] [LAG]
set -euo pipefail
cd "$(dirname "$0")/../.."
iters=${1:-2000}
lag=${2:-examples/lagrangians/kinetic.lag}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/lagc" ./cmd/lagc
"$tmp/lagc" gen --lang torch "$lag" -o "$tmp/sys_lag.py"
printf "%-5s %10s %10s %10s\n" seed torch_w2 lagc_w2 lagc_raw_w2
for seed in 1 2 3; do
	OMP_NUM_THREADS=1 /usr/bin/torchrun --standalone --nproc_per_node 2 --redirects 1 --tee 1 \
		examples/torch/train_ddp.py --module "$tmp/sys_lag.py" --lag "$lag" --iters "$iters" --batch 128 \
		--hidden 64,64,64 --act silu --seed "$seed" --log-every 0 --out "$tmp/torch$seed" >/dev/null 2>&1
	"$tmp/lagc" train -L "$lag" -source 8gaussians -target moons -iters "$iters" -batch 256 -hidden 64,64,64 \
		-act silu -seed "$seed" -eval-n 0 -no-plot -quiet -o "$tmp/lagc$seed"
	tw=$("$tmp/lagc" eval "$tmp/torch$seed/model.npz" -n 2048 | /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["w2"])')
	lw=$("$tmp/lagc" eval "$tmp/lagc$seed" -n 2048 | /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["w2"])')
	lr=$("$tmp/lagc" eval "$tmp/lagc$seed" -raw -n 2048 | /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["w2"])')
	printf "%-5s %10s %10s %10s\n" "$seed" "$tw" "$lw" "$lr"
done
