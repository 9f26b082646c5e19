"""lagc's velocity network in PyTorch and the .npz exchange format (see
runtime/modelio in the Go module): members architecture.npy (uint8 JSON),
layers.L.weight.npy ([out, in]) and layers.L.bias.npy ([out]), stored
uncompressed, little-endian float64, C order."""

import io
import json
import math
import os
import re
import struct
import tempfile
import zipfile

import torch
from torch import nn

FORMAT, VERSION = "lagc-mlp", 1
_ACTS = {"selu": nn.SELU, "silu": nn.SiLU, "relu": nn.ReLU, "tanh": nn.Tanh}


class MLP(nn.Module):
    """v_θ(x, t): Linear layers on the concatenation [x, t], the activation
    after each hidden layer — runtime/nn's MLP. forward(t, x) takes t as a
    scalar or [B] (torchdyn/torchcfm order) and returns [B, d]."""

    def __init__(self, sizes, activation="silu", run=None):
        super().__init__()
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or any(s < 1 for s in sizes):
            raise ValueError("need at least an input and an output size, all positive: %s" % (sizes,))
        if sizes[0] != sizes[-1] + 1:
            raise ValueError("a velocity field of x and t has d+1 inputs and d outputs, got sizes %s" % (sizes,))
        if activation not in _ACTS:
            raise ValueError("unknown activation %r (want one of %s)" % (activation, ", ".join(sorted(_ACTS))))
        self.sizes, self.activation, self.run = sizes, activation, run
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.act = _ACTS[activation]()

    def forward(self, t, x):
        t = torch.as_tensor(t, dtype=x.dtype, device=x.device)
        if t.dim() == 0:
            t = t.expand(x.shape[0])
        h = torch.cat([x, t.reshape(-1, 1)], 1)
        for k, layer in enumerate(self.layers):
            h = layer(h)
            if k + 1 < len(self.layers):
                h = self.act(h)
        return h


def _npy(descr, shape, data):
    dims = ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "")
    h = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    total = 10 + len(h) + 1
    h += " " * ((64 - total % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode("latin1") + data


def save_model(module, path, run=None, training=None):
    """Writes module (an MLP, or a module with .layers of nn.Linear, .sizes and
    .activation) to path as a lagc .npz, atomically. run: the training
    (a dict of lagc's run.Spec fields: source, target, lagrangian,
    lagrangian_file, params, dim, seed, iters) that lagc sample/eval rebuild
    the problem from, default module.run; training: how the model was
    trained (any JSON object), recorded but not interpreted."""
    run = run if run is not None else getattr(module, "run", None)
    if isinstance(module, nn.parallel.DistributedDataParallel):
        module = module.module
    arch = {"format": FORMAT, "version": VERSION, "sizes": list(module.sizes), "activation": module.activation,
            "input": "x,t", "output": "velocity"}
    if run is not None:
        arch["run"] = run
    if training is not None:
        arch["training"] = training
    js = json.dumps(arch, allow_nan=False).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("architecture.npy", _npy("|u1", [len(js)], js))
        for k, layer in enumerate(module.layers):
            w = layer.weight.detach().to("cpu", torch.float64).contiguous()
            b = layer.bias.detach().to("cpu", torch.float64).contiguous()
            if not (bool(torch.isfinite(w).all()) and bool(torch.isfinite(b).all())):
                raise ValueError("layer %d has non-finite weights" % k)
            z.writestr("layers.%d.weight.npy" % k, _npy("<f8", list(w.shape), struct.pack("<%dd" % w.numel(), *w.flatten().tolist())))
            z.writestr("layers.%d.bias.npy" % k, _npy("<f8", list(b.shape), struct.pack("<%dd" % b.numel(), *b.tolist())))
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(buf.getvalue())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


_HDR = re.compile(r"^\{'descr': '([<|][a-z]\d)', 'fortran_order': (True|False), 'shape': \(([0-9, ]*)\),? *\} *\n$")


def _read_npy(raw, name):
    if raw[:6] != b"\x93NUMPY":
        raise ValueError("%s: not a .npy array" % name)
    major = raw[6]
    if major == 1:
        hlen, off = struct.unpack("<H", raw[8:10])[0], 10
    elif major in (2, 3):
        hlen, off = struct.unpack("<I", raw[8:12])[0], 12
    else:
        raise ValueError("%s: .npy version %d" % (name, major))
    m = _HDR.match(raw[off:off + hlen].decode("latin1"))
    if m is None:
        raise ValueError("%s: unsupported .npy header" % name)
    descr, fortran = m.group(1), m.group(2) == "True"
    shape = tuple(int(s) for s in m.group(3).replace(" ", "").split(",") if s)
    n = math.prod(shape)
    data = raw[off + hlen:]
    if fortran and len(shape) > 1:
        raise ValueError("%s: Fortran order" % name)
    size = {"<f8": 8, "<f4": 4, "|u1": 1}.get(descr)
    if size is None:
        raise ValueError("%s: dtype %s" % (name, descr))
    if len(data) != n * size:
        raise ValueError("%s: %d bytes of data, shape %s of %s needs %d" % (name, len(data), shape, descr, n * size))
    if descr == "|u1":
        return shape, data
    vals = struct.unpack("<%d%s" % (n, "d" if size == 8 else "f"), data)
    return shape, torch.tensor(vals, dtype=torch.float64).reshape(shape)


def load_model(path, dtype=torch.float64):
    """Reads a lagc .npz (from lagc export or save_model) as an MLP."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if "architecture.npy" not in names:
            raise ValueError("%s: no architecture.npy member; not a lagc model archive" % path)
        _, js = _read_npy(z.read("architecture.npy"), "architecture.npy")
        arch = json.loads(bytes(js).decode())
        if arch.get("format") != FORMAT or arch.get("version") != VERSION:
            raise ValueError("%s: format %r version %r, want %r version %d" % (path, arch.get("format"), arch.get("version"), FORMAT, VERSION))
        unknown = set(arch) - {"format", "version", "sizes", "activation", "input", "output", "run", "training"}
        if unknown:
            raise ValueError("%s: unknown architecture fields %s" % (path, sorted(unknown)))
        # float64 before the weights are copied in: float32 would round them.
        model = MLP(arch["sizes"], arch["activation"], arch.get("run")).to(torch.float64)
        want = {"architecture.npy"}
        for k, layer in enumerate(model.layers):
            for part, param in (("weight", layer.weight), ("bias", layer.bias)):
                name = "layers.%d.%s.npy" % (k, part)
                want.add(name)
                if name not in names:
                    raise ValueError("%s: no member %s" % (path, name))
                shape, vals = _read_npy(z.read(name), name)
                if tuple(shape) != tuple(param.shape):
                    raise ValueError("%s: %s has shape %s, the architecture needs %s" % (path, name, shape, tuple(param.shape)))
                if not bool(torch.isfinite(vals).all()):
                    raise ValueError("%s: %s has non-finite weights" % (path, name))
                with torch.no_grad():
                    param.copy_(vals)
        if names != want:
            raise ValueError("%s: unexpected members %s" % (path, sorted(names - want)))
    return model.to(dtype)
