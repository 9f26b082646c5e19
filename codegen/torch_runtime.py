import math

import torch

__all__ = ["system", "System", "LagcError", "DegenerateError", "ConjugatePointError", "NoConvergenceError"]


class LagcError(Exception):
    """An error of the least-action solver (the kinds of lagc's runtime/bvp)."""


class DegenerateError(LagcError):
    """The Lagrangian is degenerate: ∂²L/∂v² is singular or not positive definite."""


class ConjugatePointError(LagcError):
    """A conjugate point: the path through these endpoints is not unique / not a minimum."""


class NoConvergenceError(LagcError):
    """The least-action solver did not converge to the tolerance."""


# Scalar functions of parameters (Python floats): NaN where math raises,
# as Go's math package returns NaN or ±Inf.
def _fwrap(fn):
    def f(a):
        try:
            return fn(a)
        except (ValueError, OverflowError):
            return math.nan
    return f


_fsin, _fcos, _ftan = _fwrap(math.sin), _fwrap(math.cos), _fwrap(math.tan)
_fexp, _flog, _fsqrt = _fwrap(math.exp), _fwrap(math.log), _fwrap(math.sqrt)
_ftanh, _fsinh, _fcosh, _fabs = _fwrap(math.tanh), _fwrap(math.sinh), _fwrap(math.cosh), abs


def _fsign(a):
    return float((a > 0) - (a < 0))


def _fpow(a, b):
    try:
        r = math.pow(a, b)
    except (ValueError, OverflowError, ZeroDivisionError):
        return math.nan
    return r


def _full(a, like):
    """a (a tensor broadcasting to like's shape, or a float) as a tensor of like's shape."""
    if isinstance(a, torch.Tensor):
        return torch.broadcast_to(a, like.shape)
    return torch.full_like(like, a)


def _col(a, like):
    """a scalar per row ([B, 1] tensor, [1] tensor or float) as a [B, 1] tensor."""
    shape = like.shape[:-1] + (1,)
    if isinstance(a, torch.Tensor):
        return torch.broadcast_to(a, shape)
    return like.new_full(shape, a)


def _basis(k, like):
    e = torch.zeros(like.shape[-1], dtype=like.dtype, device=like.device)
    e[k] = 1
    return e


def _lit(values, like):
    return torch.tensor(values, dtype=like.dtype, device=like.device)


def _cat(like, *cols):
    return torch.cat([_col(c, like) for c in cols], -1)


def _mass_nan(a, m):
    """a with its rows NaN where the mass m is not positive."""
    if isinstance(m, torch.Tensor):
        return torch.where(m > 0, a, torch.full_like(a, math.nan))
    return a if m > 0 else torch.full_like(a, math.nan)


class Settings:
    """Tolerance contract of the numeric least-action solver (as runtime/bvp).

    tol: the estimated error of the path (Chebyshev tail of x(t)) and the
    Newton step must fall below tol·(1 + |x|); nodes: the first number of
    Chebyshev intervals, doubled up to max_nodes; max_iter: Newton
    iterations per grid; chunk_bytes: the memory of Jacobians solved at
    once (pairs are split into chunks to stay under it).
    """

    def __init__(self, tol=1e-10, nodes=32, max_nodes=128, max_iter=40, chunk_bytes=1 << 27):
        if not (tol > 0 and math.isfinite(tol)):
            raise ValueError("the tolerance must be positive and finite, got %r" % (tol,))
        if tol < 1e-14:
            raise ValueError("the tolerance %g is below float64 rounding; use 1e-14 or more" % tol)
        if not (2 <= nodes <= max_nodes):
            raise ValueError("need 2 ≤ nodes ≤ max_nodes, got %r and %r" % (nodes, max_nodes))
        if max_iter < 1:
            raise ValueError("the iteration limit must be positive, got %r" % (max_iter,))
        self.tol, self.nodes, self.max_nodes, self.max_iter, self.chunk_bytes = tol, nodes, max_nodes, max_iter, chunk_bytes


_cheb_cache = {}


def _cheb(n, device):
    """Chebyshev–Gauss–Lobatto nodes on [0, 1] (increasing), the first and
    second differentiation matrices, Clenshaw–Curtis weights, barycentric
    weights and the values→coefficients matrix, in float64."""
    key = (n, str(device))
    if key in _cheb_cache:
        return _cheb_cache[key]
    dt = torch.float64
    j = torch.arange(n + 1, dtype=dt)
    xs = torch.cos(math.pi * j / n)  # decreasing from 1 to -1
    c = torch.ones(n + 1, dtype=dt)
    c[0] = c[-1] = 2
    c = c * (-1.0) ** j
    X = xs[:, None].expand(n + 1, n + 1)
    dX = X - X.T
    D = (c[:, None] / c[None, :]) / (dX + torch.eye(n + 1, dtype=dt))
    D = D - torch.diag(D.sum(1))
    # t = (1 − x)/2: d/dt = −2 d/dx, and the nodes in t are increasing.
    t = (1 - xs) / 2
    Dt = -2 * D
    D2 = Dt @ Dt
    # Clenshaw–Curtis weights on [-1, 1], halved for [0, 1].
    w = torch.zeros(n + 1, dtype=dt)
    theta = math.pi * j / n
    inner = torch.ones(n - 1, dtype=dt)
    if n % 2 == 0:
        w[0] = w[n] = 1.0 / (n * n - 1)
        for k in range(1, n // 2):
            inner = inner - 2 * torch.cos(2 * k * theta[1:n]) / (4 * k * k - 1)
        inner = inner - torch.cos(n * theta[1:n]) / (n * n - 1)
    else:
        w[0] = w[n] = 1.0 / (n * n)
        for k in range(1, (n - 1) // 2 + 1):
            inner = inner - 2 * torch.cos(2 * k * theta[1:n]) / (4 * k * k - 1)
    w[1:n] = 2 * inner / n
    w = w / 2
    bary = (-1.0) ** j
    bary[0] = bary[0] / 2
    bary[-1] = bary[-1] / 2
    # Coefficients a_k = (2/n) Σ'' f_j cos(π j k / n), first and last halved.
    C = torch.cos(math.pi * j[:, None] * j[None, :] / n) * (2.0 / n)
    C[:, 0] /= 2
    C[:, -1] /= 2
    C[0, :] /= 2
    C[-1, :] /= 2
    out = tuple(m.to(device) for m in (t, Dt, D2, w, bary, xs, C))
    _cheb_cache[key] = out
    return out


class _Paths:
    """Least-action paths of a batch of pairs, evaluated with at(t)."""

    def __init__(self, at, action):
        self._at = at
        self.action = action

    def at(self, t):
        return self._at(t)


_GL_CACHE = {}


def _gl(q, device):
    """Gauss–Legendre nodes and weights on [0, 1] (Golub–Welsch), float64."""
    key = (q, str(device))
    if key not in _GL_CACHE:
        k = torch.arange(1, q, dtype=torch.float64)
        beta = k / torch.sqrt(4 * k * k - 1)
        J = torch.diag(beta, 1) + torch.diag(beta, -1)
        nodes, vecs = torch.linalg.eigh(J)
        weights = 2 * vecs[0] ** 2
        _GL_CACHE[key] = (((nodes + 1) / 2).to(device), (weights / 2).to(device))
    return _GL_CACHE[key]


class _System:
    dim = None
    min_dim = 1
    closed = False
    general_mass = False
    params = {}
    attrs = {}
    source = ""

    def __init__(self, settings=None, **params):
        for name, value in self.params.items():
            setattr(self, self.attrs[name], float(value))
        by_attr = {a: n for n, a in self.attrs.items()}
        for name, value in params.items():
            if name not in self.params and name not in by_attr:
                known = ", ".join(sorted(self.params)) or "none"
                raise TypeError("%s has no parameter %r (its parameters: %s)" % (self.source, name, known))
            value = float(value)
            if not math.isfinite(value):
                raise ValueError("parameter %s = %r is not finite" % (name, value))
            setattr(self, self.attrs.get(name, name), value)
        self.settings = settings if settings is not None else Settings()

    def __repr__(self):
        ps = ", ".join("%s=%r" % (n, getattr(self, a)) for n, a in self.attrs.items())
        return "system(%s)  # %s" % (ps, self.source)

    def _param_key(self):
        return tuple(getattr(self, a) for a in self.attrs.values())

    # Input checks.
    def _check(self, x, what="x"):
        if not isinstance(x, torch.Tensor):
            raise TypeError("%s must be a torch.Tensor, got %s" % (what, type(x).__name__))
        if x.dim() != 2:
            raise ValueError("%s must have shape [B, d], got %s" % (what, tuple(x.shape)))
        if not x.is_floating_point():
            raise TypeError("%s must be a floating-point tensor, got %s" % (what, x.dtype))
        d = x.shape[1]
        if self.dim is not None and d != self.dim:
            raise ValueError("%s has %d components but %s fixes the dimension to %d" % (what, d, self.source, self.dim))
        if d < self.min_dim:
            raise ValueError("%s has %d components; %s needs at least %d" % (what, d, self.source, self.min_dim))

    def _pair(self, x, v, names=("x", "v")):
        self._check(x, names[0])
        self._check(v, names[1])
        if x.shape != v.shape:
            raise ValueError("%s and %s have shapes %s and %s" % (names[0], names[1], tuple(x.shape), tuple(v.shape)))
        if x.dtype != v.dtype or x.device != v.device:
            raise TypeError("%s and %s must share dtype and device" % names)

    def _time(self, t, x):
        t = torch.as_tensor(t, dtype=x.dtype, device=x.device)
        if t.dim() == 0:
            return t.expand(x.shape[0], 1)
        if t.dim() == 1 and t.shape[0] == x.shape[0]:
            return t[:, None]
        if t.dim() == 2 and t.shape == (x.shape[0], 1):
            return t
        raise ValueError("t must be a scalar, [B] or [B, 1] with B = %d, got shape %s" % (x.shape[0], tuple(t.shape)))

    # The equations.
    def L(self, t, x, v):
        """The Lagrangian at each row: [B]."""
        self._pair(x, v)
        t = self._time(t, x)
        return _col(self._L(t, x, v), x)[:, 0].clone()

    def accel(self, t, x, v):
        """The Euler–Lagrange acceleration at each row, [B, d]; NaN rows where
        ∂²L/∂v² is singular or not positive definite."""
        self._pair(x, v)
        return self._accel_t(self._time(t, x), x, v)

    def _accel_t(self, t, x, v):
        if not self.general_mass:
            return self._accel(t, x, v).clone()
        B, d = x.shape
        r = self._R(t, x, v)
        M = self._mass(t, x, v)
        chol, info = torch.linalg.cholesky_ex(M)
        # Positive definite with a margin, as runtime's Cholesky.
        diag = torch.diagonal(M, dim1=-2, dim2=-1)
        scale = diag.abs().amax(-1)
        ok = (info == 0) & (torch.diagonal(chol, dim1=-2, dim2=-1) ** 2 > 1e-13 * scale[:, None]).all(-1)
        chol = torch.where(ok[:, None, None], chol, torch.eye(d, dtype=x.dtype, device=x.device))
        a = torch.cholesky_solve(r[:, :, None], chol)[:, :, 0]
        return torch.where(ok[:, None], a, torch.full_like(a, math.nan))

    def _mass(self, t, x, v):
        """M = ∂²L/∂v², [B, d, d], from the products M·e_j."""
        B, d = x.shape
        eye = torch.eye(d, dtype=x.dtype, device=x.device)
        rep = lambda a: a.repeat_interleave(d, 0)  # noqa: E731
        w = eye.repeat(B, 1)
        cols = _full(self._MW(rep(t), rep(x), rep(v), w), w)
        return cols.reshape(B, d, d).transpose(1, 2)

    def accel_err(self, t, x, v):
        """accel, raising DegenerateError where it is not finite."""
        a = self.accel(t, x, v)
        bad = ~torch.isfinite(a).all(-1)
        if bool(bad.any()):
            i = int(bad.nonzero()[0, 0])
            tt = self._time(t, x)[i, 0]
            raise DegenerateError("%s: the acceleration is not finite at t=%g, x=%s, v=%s (∂²L/∂v² is singular or not positive definite there, or L overflows)" % (
                self.source, float(tt), x[i].tolist(), v[i].tolist()))
        return a

    # Paths.
    def path(self, t, x0, x1):
        """The position and velocity at time t (scalar or [B]) of the
        least-action paths from the rows of x0 to those of x1: (xt, vt)."""
        self._pair(x0, x1, ("x0", "x1"))
        t = self._time(t, x0)
        if bool(((t < 0) | (t > 1)).any()):
            raise ValueError("times must lie in [0, 1]")
        fast = self._closed_fast(x0)
        if fast is not None:
            return fast(t, x0, x1)
        return self.solve(x0, x1).at(t)

    def action(self, x0, x1):
        """The least action ∫₀¹ L dt from each row of x0 to that of x1: [B]."""
        self._pair(x0, x1, ("x0", "x1"))
        return self.solve(x0, x1).action

    def cost_matrix(self, x0, x1):
        """The least action from every row of x0 ([n, d]) to every row of x1
        ([m, d]): the [n, m] cost matrix c_L of minibatch optimal transport."""
        self._check(x0, "x0")
        self._check(x1, "x1")
        n, m = x0.shape[0], x1.shape[0]
        if self.closed and n > 0 and m > 0:
            lin = self._linear(x0)
            if lin is not None:
                lin.check()
                q = self._quadratic_action(lin, x0)
                if q is not None:
                    return q.matrix(x0, x1)
        a = x0.repeat_interleave(m, 0)
        b = x1.repeat(n, 1)
        return self.action(a, b).reshape(n, m)

    def solve(self, x0, x1):
        """Solves the least-action paths of all pairs of rows at once."""
        self._pair(x0, x1, ("x0", "x1"))
        if x0.shape[0] == 0:
            empty = x0.new_zeros(0)
            return _Paths(lambda t: (x0.clone(), x0.clone()), empty)
        if not (torch.isfinite(x0).all() and torch.isfinite(x1).all()):
            raise ValueError("the endpoints have non-finite components")
        if self.closed:
            lin = self._linear(x0)
            if lin is not None:
                return self._solve_linear(lin, x0, x1)
        return self._solve_numeric(x0, x1)

    # Closed forms: ẍ = A x + B ẋ + c with constant coefficients, read off
    # the acceleration as runtime/closedform does, so that parameter changes
    # are followed.
    def _linear(self, like):
        d = like.shape[1]
        key = (d, self._param_key(), str(like.device))
        cache = getattr(self, "_lin_cache", None)
        if cache is not None and cache[0] == key:
            return cache[1]
        f64 = dict(dtype=torch.float64, device=like.device)
        eye = torch.eye(d, **f64)
        zero = torch.zeros(1, d, **f64)
        x = torch.cat([zero, eye, torch.zeros(d, d, **f64)])
        v = torch.cat([zero, torch.zeros(d, d, **f64), eye])
        a = self._accel_t(torch.zeros(2 * d + 1, 1, **f64), x, v)
        if not bool(torch.isfinite(a).all()):
            raise DegenerateError("%s: the acceleration is not finite at x = v = 0 or at unit vectors (is the mass ∂²L/∂v² positive?)" % self.source)
        c = a[0]
        A = (a[1:d + 1] - c).T
        Bm = (a[d + 1:] - c).T
        lin = _Linear(A, Bm, c, self.source)
        self._lin_cache = (key, lin)
        return lin

    def _closed_fast(self, like):
        if not self.closed:
            return None
        lin = self._linear(like)
        if lin.kind in ("straight", "constant force", "harmonic", "inverted"):
            lin.check()
            return lin.path_fast
        return None

    def _solve_linear(self, lin, x0, x1):
        lin.check()
        dtype = x0.dtype
        if lin.kind in ("straight", "constant force", "harmonic", "inverted"):
            def at(t):
                return lin.path_fast(self._time(t, x0), x0, x1)
        else:
            v0 = lin.initial_velocity(x0.double(), x1.double())

            def at(t):
                xt, vt = lin.state(self._time(t, x0).double(), x0.double(), v0)
                return xt.to(dtype), vt.to(dtype)
        q = self._quadratic_action(lin, x0)
        if q is not None:
            return _Paths(at, q.pairs(x0, x1))
        return _Paths(at, self._quadrature_action(lin, x0, x1, v0 if lin.kind == "matrix" else None))
        return _Paths(at, action)

    def _quadrature_action(self, lin, x0, x1, v0=None):
        """∫₀¹ L dt along the closed-form paths by 24-point Gauss–Legendre."""
        dtype = x0.dtype
        tq, wq = _gl(24, x0.device)
        B, d = x0.shape
        ts = tq.repeat_interleave(B)[:, None].to(dtype)
        xa, xb = x0.repeat(len(tq), 1), x1.repeat(len(tq), 1)
        if v0 is None:
            xs, vs = lin.path_fast(ts, xa, xb)
        else:
            xs, vs = lin.state(ts.double(), xa.double(), v0.repeat(len(tq), 1))
            xs, vs = xs.to(dtype), vs.to(dtype)
        Ls = _col(self._L(ts, xs, vs), xs)[:, 0].reshape(len(tq), B)
        return (wq.to(dtype)[:, None] * Ls).sum(0)

    def _quadratic_action(self, lin, like):
        """The action as a quadratic form in (x0, x1) — what it is when L is
        quadratic in (x, v), as closed forms' Lagrangians usually are —
        identified from the quadrature at 1 + 4d + d(2d−1) pairs and
        verified at two random ones; None when L is not quadratic."""
        d = like.shape[1]
        key = (d, self._param_key(), str(like.device))
        cache = getattr(self, "_quad_cache", None)
        if cache is not None and cache[0] == key:
            return cache[1]
        f64 = dict(dtype=torch.float64, device=like.device)
        n = 2 * d
        eye = torch.eye(n, **f64)
        pairs = [torch.zeros(n, **f64)] + [eye[i] for i in range(n)] + [-eye[i] for i in range(n)]
        ij = [(i, j) for i in range(n) for j in range(i + 1, n)]
        pairs += [eye[i] + eye[j] for i, j in ij]
        g = torch.Generator().manual_seed(12345)
        test = (2 * torch.rand(2, n, generator=g, dtype=torch.float64) - 1).to(like.device)
        z = torch.cat([torch.stack(pairs), test])
        v0 = lin.initial_velocity(z[:, :d], z[:, d:]) if lin.kind == "matrix" else None
        S = self._quadrature_action(lin, z[:, :d], z[:, d:], v0)
        c = S[0]
        plus, minus = S[1:n + 1], S[n + 1:2 * n + 1]
        A = torch.diag((plus + minus) / 2 - c)
        bvec = (plus - minus) / 2
        for k, (i, j) in enumerate(ij):
            A[i, j] = A[j, i] = (S[2 * n + 1 + k] - A[i, i] - A[j, j] - bvec[i] - bvec[j] - c) / 2
        form = _QuadraticAction(A, bvec, c, d)
        got = form.pairs(test[:, :d], test[:, d:])
        want = S[-2:]
        quad = form if bool(((got - want).abs() <= 1e-11 * (1 + want.abs())).all()) else None
        self._quad_cache = (key, quad)
        return quad

    # The numeric solver: Chebyshev collocation of R − M ẍ = 0 with Newton's
    # method, all pairs at once, Jacobians from the symbolic derivatives.
    def _el(self, t, x, v, w):
        return _full(self._R(t, x, v), x) - _full(self._MW(t, x, v, w), x)

    def _el_jac(self, t, x, v, w):
        """∂E/∂x, ∂E/∂v and ∂E/∂w = −M at each row: three [P, d, d]."""
        P, d = x.shape
        eye = torch.eye(d, dtype=x.dtype, device=x.device)
        rep = lambda a: a.repeat_interleave(d, 0)  # noqa: E731
        e = eye.repeat(P, 1)
        tt, xx, vv, ww = rep(t), rep(x), rep(v), rep(w)
        jx = _full(self._el_dx(tt, xx, vv, ww, e), xx).reshape(P, d, d).transpose(1, 2)
        jv = _full(self._el_dv(tt, xx, vv, ww, e), xx).reshape(P, d, d).transpose(1, 2)
        jw = -_full(self._MW(tt, xx, vv, e), xx).reshape(P, d, d).transpose(1, 2)
        return jx, jv, jw

    def _solve_numeric(self, x0, x1):
        s = self.settings
        dtype = x0.dtype
        a, b = x0.double(), x1.double()
        B, d = a.shape
        per_pair = 8 * ((s.nodes + 1) * d) ** 2 * 6
        chunk = max(1, min(B, s.chunk_bytes // per_pair))
        if chunk < B:
            parts = [self._solve_numeric(x0[i:i + chunk], x1[i:i + chunk]) for i in range(0, B, chunk)]

            def at_chunks(t):
                t = self._time(t, x0)
                xs, vs = zip(*[p.at(t[i:i + chunk]) for p, i in zip(parts, range(0, B, chunk))])
                return torch.cat(xs), torch.cat(vs)
            return _Paths(at_chunks, torch.cat([p.action for p in parts]))
        # Pairs whose error estimate passes are kept; the others are solved
        # again on a finer grid, starting from their interpolated solution.
        groups = []
        idx = torch.arange(B, device=a.device)
        n, X = s.nodes, None
        while True:
            X, est = self._collocate(a[idx], b[idx], n, X)
            scale = 1 + X.abs().amax((1, 2))
            bad = est > s.tol * scale
            if not bool(bad.all()):
                groups.append((idx[~bad], n, X[~bad]))
            if not bool(bad.any()):
                break
            finer = n * 3 // 2
            if finer > s.max_nodes:
                i = int(bad.nonzero()[0, 0])
                raise NoConvergenceError("bvp: no convergence: collocation, pair %d: estimated error %.3g with %d intervals exceeds the tolerance %.3g, and a finer grid would pass %d intervals" % (
                    int(idx[i]), float(est[i]), n, s.tol, s.max_nodes))
            X = self._refine(X[bad], n, finer)
            idx, n = idx[bad], finer
        action = torch.empty(B, dtype=torch.float64, device=a.device)
        interp = []
        for gi, n, X in groups:
            self._check_minimum(gi, n, X)
            tn, D, _, wcc, bary, xs, _ = _cheb(n, a.device)
            V = D @ X
            P = X.shape[0]
            T = tn[None, :, None].expand(P, n + 1, 1).reshape(-1, 1)
            Lk = _col(self._L(T, X.reshape(-1, d), V.reshape(-1, d)), X.reshape(-1, d))[:, 0].reshape(P, n + 1)
            action[gi] = (Lk * wcc).sum(1)
            interp.append((gi, X, V, bary, xs))

        def at(t):
            t = self._time(t, x0).double()[:, 0]
            xt = torch.empty(B, d, dtype=torch.float64, device=a.device)
            vt = torch.empty_like(xt)
            for gi, X, V, bary, xs in interp:
                xi = 1 - 2 * t[gi]
                diff = xi[:, None] - xs[None, :]
                exact = diff == 0
                safe = torch.where(exact, torch.ones_like(diff), diff)
                wts = torch.where(exact.any(1, keepdim=True), exact.double(), bary[None, :] / safe)
                wts = wts / wts.sum(1, keepdim=True)
                xt[gi] = (wts[:, :, None] * X).sum(1)
                vt[gi] = (wts[:, :, None] * V).sum(1)
            return xt.to(dtype), vt.to(dtype)
        return _Paths(at, action.to(dtype))

    def _check_minimum(self, gi, n, X):
        """ConjugatePointError unless the second variation of the action,
        ∫ h'ᵀM h' + 2 h'ᵀ(∂p/∂x) h + hᵀ(∂f/∂x) h dt over variations h
        vanishing at both ends (nodal values at the interior nodes, the
        integral by Clenshaw–Curtis), is positive definite."""
        P, _, d = X.shape
        m = n - 1
        tn, D, _, wcc, _, _, _ = _cheb(n, X.device)
        V = D @ X
        eye = torch.eye(d, dtype=X.dtype, device=X.device)
        T = tn[None, :, None].expand(P, n + 1, 1).reshape(-1, 1)
        xs, vs = X.reshape(-1, d), V.reshape(-1, d)
        rep = lambda u: u.repeat_interleave(d, 0)  # noqa: E731
        e = eye.repeat(xs.shape[0], 1)
        tt, xx, vv = rep(T), rep(xs), rep(vs)

        def block(f):
            return _full(f(tt, xx, vv, e), xx).reshape(P, n + 1, d, d).transpose(-1, -2)
        M = block(self._MW)
        Px = block(self._p_dx)[:, 1:n]
        Fx = block(self._f_dx)[:, 1:n]
        Dr = D[:, 1:n]  # h' at every node from h at the interior nodes
        # H[p, a, i, b, j] = Σ_k w_k D[k, a] D[k, b] M[p, k, i, j], by matmul.
        Mw = (M * wcc[None, :, None, None]).permute(0, 2, 3, 1)  # [P, i, j, k]
        H = Dr.T @ (Mw[..., None] * Dr)  # [P, i, j, a, b]
        H = H.permute(0, 3, 1, 4, 2).contiguous()  # [P, a, i, b, j]
        E = (wcc[1:n, None] * Dr[1:n]).T  # E[a, b] = w_b D[b, a]
        C = E[None, :, None, :, None] * Px.permute(0, 2, 1, 3)[:, None]
        H = H + C + C.permute(0, 3, 4, 1, 2)
        torch.diagonal(H, dim1=1, dim2=3).add_((Fx * wcc[1:n][None, :, None, None]).permute(0, 2, 3, 1))
        H = H.reshape(P, m * d, m * d)
        _, info = torch.linalg.cholesky_ex(0.5 * (H + H.transpose(1, 2)))
        if bool((info != 0).any()):
            i = int((info != 0).nonzero()[0, 0])
            raise ConjugatePointError("bvp: a conjugate point: the path through these endpoints is not unique / not a minimum (collocation, pair %d: the second variation of the action has a negative direction)" % int(gi[i]))

    def _refine(self, X, n, m):
        """X on n+1 Chebyshev nodes interpolated to m+1 nodes."""
        _, _, _, _, _, _, C = _cheb(n, X.device)
        coef = C @ X
        _, _, _, _, _, xm, _ = _cheb(m, X.device)
        T = torch.cos(torch.arange(n + 1, dtype=torch.float64, device=X.device)[None, :] * torch.acos(xm.clamp(-1, 1))[:, None])
        return T @ coef

    def _collocate(self, a, b, n, X=None):
        """Newton's method on the collocation equations at n+1 nodes; returns
        the nodal values [B, n+1, d] and the error estimate per pair."""
        s = self.settings
        B, d = a.shape
        tn, D, D2, _, _, _, C = _cheb(n, a.device)
        if X is None:
            X = a[:, None, :] + tn[None, :, None] * (b - a)[:, None, :]
        m = n - 1
        T = tn[1:n][None, :, None].expand(B, m, 1).reshape(-1, 1)
        Dint, D2int = D[1:n, 1:n], D2[1:n, 1:n]

        def residual(X):
            V = D[1:n] @ X
            W = D2[1:n] @ X
            Xi = X[:, 1:n]
            E = self._el(T, Xi.reshape(-1, d), V.reshape(-1, d), W.reshape(-1, d)).reshape(B, m, d)
            return E, V, W

        def norm(E):
            r = E.abs().amax((1, 2))
            return torch.where(torch.isfinite(r), r, torch.full_like(r, math.inf))

        E, V, W = residual(X)
        self._check_mass(T, X, V, B, m, d)
        done = torch.zeros(B, dtype=torch.bool, device=a.device)
        last = torch.full((B,), math.inf, dtype=torch.float64, device=a.device)
        J = None
        for it in range(s.max_iter):
            if not bool(torch.isfinite(E).all()):
                self._raise_degenerate(E, X, V, T, B, m, d)
            jx, jv, jw = self._el_jac(T, X[:, 1:n].reshape(-1, d), V.reshape(-1, d), W.reshape(-1, d))
            jx, jv, jw = (j.reshape(B, m, d, d) for j in (jx, jv, jw))
            # J[b, k, i, l, j] = jv[b, k, i, j] D[k, l] + jw[b, k, i, j] D2[k, l] + δ_kl jx[b, k, i, j]
            J = jv[:, :, :, None, :] * Dint[None, :, None, :, None] + jw[:, :, :, None, :] * D2int[None, :, None, :, None]
            torch.diagonal(J, dim1=1, dim2=3).add_(jx.permute(0, 2, 3, 1))
            J = J.reshape(B, m * d, m * d)
            step, info = torch.linalg.solve_ex(J, E.reshape(B, m * d, 1))
            if bool((info != 0).any()):
                i = int((info != 0).nonzero()[0, 0])
                raise ConjugatePointError("bvp: a conjugate point: the path through these endpoints is not unique / not a minimum (collocation, pair %d: the Jacobian is singular)" % i)
            step = step.reshape(B, m, d)
            step = torch.where(done[:, None, None], torch.zeros_like(step), step)
            # Backtracking on the residual where a full step would increase it.
            lam = torch.ones(B, dtype=X.dtype, device=X.device)
            f0 = norm(E)
            for _ in range(12):
                Xt = X.clone()
                Xt[:, 1:n] = X[:, 1:n] - lam[:, None, None] * step
                Et, Vt, Wt = residual(Xt)
                worse = (norm(Et) > f0) & (f0 > 0) & ~done
                if not bool(worse.any()):
                    break
                lam = torch.where(worse, lam / 2, lam)
            X, E, V, W = Xt, Et, Vt, Wt
            size = (lam[:, None, None] * step).abs().amax((1, 2))
            scale = 1 + X.abs().amax((1, 2))
            last = torch.where(done, last, size / scale)
            done = done | (size <= 1e-3 * s.tol * scale) | (norm(E) == 0)
            if bool(done.all()):
                break
        self._check_mass(T, X, V, B, m, d)
        if not bool(done.all()):
            ok = last <= s.tol
            if not bool(ok.all()):
                i = int((~ok).nonzero()[0, 0])
                raise NoConvergenceError("bvp: no convergence: collocation, pair %d: the Newton step %.3g did not fall below the tolerance in %d iterations" % (i, float(last[i]), s.max_iter))
        coef = C @ X
        est = (coef[:, -2:].abs().amax((1, 2)) + coef[:, -4:-2].abs().amax((1, 2)))
        return X, est

    def _check_mass(self, T, X, V, B, m, d):
        """DegenerateError where the acceleration is not finite at an interior node."""
        acc = self._accel_t(T, X[:, 1:m + 1].reshape(-1, d), V.reshape(-1, d)).reshape(B, m, d)
        if not bool(torch.isfinite(acc).all()):
            self._raise_degenerate(acc, X, V, T, B, m, d)

    def _raise_degenerate(self, E, X, V, T, B, m, d):
        bad = ~torch.isfinite(E).all(-1)
        i, k = (int(u) for u in bad.nonzero()[0])
        raise DegenerateError("bvp: the Lagrangian is degenerate: the acceleration is NaN at t=%.6g, x=%s, v=%s (check ∂²L/∂v² there; pair %d)" % (
            float(T.reshape(B, m)[i, k]), X[i, k + 1].tolist(), V[i, k].tolist(), i))


class _QuadraticAction:
    """S(x0, x1) = zᵀA z + bᵀz + c with z = (x0, x1)."""

    def __init__(self, A, b, c, d):
        self.A00, self.A01, self.A11 = A[:d, :d], A[:d, d:], A[d:, d:]
        self.b0, self.b1, self.c = b[:d], b[d:], c

    def _cast(self, like):
        return [u.to(like.dtype) for u in (self.A00, self.A01, self.A11, self.b0, self.b1, self.c)]

    def pairs(self, x0, x1):
        A00, A01, A11, b0, b1, c = self._cast(x0)
        return ((x0 @ A00) * x0).sum(1) + 2 * ((x0 @ A01) * x1).sum(1) + ((x1 @ A11) * x1).sum(1) + x0 @ b0 + x1 @ b1 + c

    def matrix(self, x0, x1):
        A00, A01, A11, b0, b1, c = self._cast(x0)
        r = ((x0 @ A00) * x0).sum(1) + x0 @ b0
        s = ((x1 @ A11) * x1).sum(1) + x1 @ b1
        return r[:, None] + 2 * (x0 @ A01) @ x1.T + s[None, :] + c


class _Linear:
    """ẍ = A x + B ẋ + c: the isotropic kinds written out, the rest by the
    matrix exponential of the first-order system."""

    def __init__(self, A, B, c, source):
        d = A.shape[0]
        self.A, self.B, self.c, self.d, self.source = A, B, c, d, source
        eye = torch.eye(d, dtype=A.dtype, device=A.device)
        alpha = float(A[0, 0])
        iso = bool((A == alpha * eye).all()) and bool((B == 0).all())
        self.kind, self.omega, self.err = "matrix", 0.0, None
        if iso and bool((c == 0).all()):
            if alpha == 0:
                self.kind = "straight"
            elif alpha < 0:
                self.kind, self.omega = "harmonic", math.sqrt(-alpha)
                if self.omega >= math.pi:
                    self.err = "bvp: a conjugate point: the path through these endpoints is not unique / not a minimum (closed form: harmonic with ω = %.6g ≥ π, a conjugate point at t = π/ω = %.6g)" % (self.omega, math.pi / self.omega)
            else:
                self.kind, self.omega = "inverted", math.sqrt(alpha)
        elif iso and alpha == 0:
            self.kind = "constant force"
        if self.kind == "matrix":
            K = torch.zeros(2 * d + 1, 2 * d + 1, dtype=A.dtype, device=A.device)
            K[:d, d:2 * d] = eye
            K[d:2 * d, :d] = A
            K[d:2 * d, d:2 * d] = B
            K[d:2 * d, 2 * d] = c
            self.K = K
            # det ∂x(t)/∂v(0) > 0 on (0, 1]: no conjugate point.
            ts = torch.linspace(0, 1, 257, dtype=A.dtype, device=A.device)[1:]
            phi = torch.linalg.matrix_exp(ts[:, None, None] * K)
            det = torch.linalg.det(phi[:, :d, d:2 * d] / ts[:, None, None])
            if bool((det <= 0).any()):
                k = int((det <= 0).nonzero()[0, 0])
                self.err = "bvp: a conjugate point: the path through these endpoints is not unique / not a minimum (closed form: ∂x(t)/∂v(0) is singular near t = %.6g)" % float(ts[k])
            self.phi1 = torch.linalg.matrix_exp(K)

    def check(self):
        if self.err is not None:
            raise ConjugatePointError("%s: %s" % (self.source, self.err))

    def path_fast(self, t, x0, x1):
        k = self.kind
        if k == "straight":
            dx = x1 - x0
            return x0 + t * dx, dx.expand_as(x0).clone()
        if k == "constant force":
            c = self.c.to(x0.dtype)
            return x0 + t * (x1 - x0) - t * (1 - t) / 2 * c, x1 - x0 + (t - 0.5) * c
        w = self.omega
        if k == "harmonic":
            sw = math.sin(w)
            p, q = torch.sin(w * (1 - t)) / sw, torch.sin(w * t) / sw
            dp, dq = -w * torch.cos(w * (1 - t)) / sw, w * torch.cos(w * t) / sw
        else:
            sw = math.sinh(w)
            p, q = torch.sinh(w * (1 - t)) / sw, torch.sinh(w * t) / sw
            dp, dq = -w * torch.cosh(w * (1 - t)) / sw, w * torch.cosh(w * t) / sw
        return p * x0 + q * x1, dp * x0 + dq * x1

    def initial_velocity(self, x0, x1):
        d, P = self.d, self.phi1
        rhs = x1 - x0 @ P[:d, :d].T - P[:d, 2 * d]
        return torch.linalg.solve(P[:d, d:2 * d], rhs.T).T

    def state(self, t, x0, v0):
        d = self.d
        phi = torch.linalg.matrix_exp(t[:, :, None] * self.K)
        z = torch.cat([x0, v0, torch.ones_like(x0[:, :1])], 1)
        zt = torch.einsum("bij,bj->bi", phi, z)
        return zt[:, :d], zt[:, d:2 * d]
