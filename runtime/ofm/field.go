package ofm

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/lagc-dev/lagc/runtime/dense"
	"github.com/lagc-dev/lagc/runtime/icnn"
)

// Settings tune the inner solver and the parallelism; nil means defaults.
type Settings struct {
	// Tol is the Newton stopping tolerance on the gradient of the inner
	// problem, |∇F|∞ ≤ Tol·(1 + |x|∞) (default 1e-10).
	Tol float64
	// MaxIter bounds the Newton iterations per point (default 50).
	MaxIter int
	// Workers is the number of goroutines a batch is spread over (default
	// GOMAXPROCS). Results depend on it only in the last bits (partial sums).
	Workers int
}

// Field evaluates the optimal field of a convex potential and the losses
// built on it, for batches spread over goroutines. It reads Net's
// parameters at every call; call Net.Refresh after changing them.
type Field struct {
	Net     *icnn.Network
	set     Settings
	workers []*worker
}

// worker holds one goroutine's buffers.
type worker struct {
	ws          *icnn.Workspace
	z, g, gTry  []float64
	zTry, step  []float64
	h, u, lam   []float64
	chol        dense.Cholesky // of t∇²Ψ(z) + (1-t)I, assembled in h
	grad        []float64
	loss, extra float64
	iters       int
	err         error
}

// NewField returns a Field for net.
func NewField(net *icnn.Network, s *Settings) (*Field, error) {
	if net == nil {
		return nil, errors.New("ofm: nil network")
	}
	set := Settings{Tol: 1e-10, MaxIter: 50, Workers: runtime.GOMAXPROCS(0)}
	if s != nil {
		if s.Tol != 0 {
			set.Tol = s.Tol
		}
		if s.MaxIter != 0 {
			set.MaxIter = s.MaxIter
		}
		if s.Workers != 0 {
			set.Workers = s.Workers
		}
	}
	if !(set.Tol > 0) || set.MaxIter < 1 || set.Workers < 1 {
		return nil, fmt.Errorf("ofm: settings Tol %v, MaxIter %d, Workers %d: want Tol > 0 and at least one iteration and worker", set.Tol, set.MaxIter, set.Workers)
	}
	f := &Field{Net: net, set: set}
	d := net.Dim()
	for range set.Workers {
		f.workers = append(f.workers, &worker{ws: net.NewWorkspace(),
			z: make([]float64, d), g: make([]float64, d), gTry: make([]float64, d), zTry: make([]float64, d),
			step: make([]float64, d), h: make([]float64, d*d), u: make([]float64, d), lam: make([]float64, d),
			grad: make([]float64, net.NumParams())})
	}
	return f, nil
}

// parallel runs fn on rows [lo, hi) of n for each worker and returns the
// first error.
func (f *Field) parallel(n int, fn func(w *worker, lo, hi int)) error {
	nw := min(len(f.workers), n)
	var wg sync.WaitGroup
	for i := range nw {
		w := f.workers[i]
		w.err, w.loss, w.extra, w.iters = nil, 0, 0, 0
		lo, hi := i*n/nw, (i+1)*n/nw
		if i == nw-1 {
			fn(w, lo, hi)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w, lo, hi)
		}()
	}
	wg.Wait()
	for _, w := range f.workers[:nw] {
		if w.err != nil {
			return w.err
		}
	}
	return nil
}

// preimage solves min_z tΨ(z) + (1-t)|z|²/2 - ⟨x, z⟩ by Newton's method, leaving z in w.z, the network state at z in w.ws and, when
// factor is set, the Cholesky factor of t∇²Ψ(z) + (1-t)I in w.chol.
func (f *Field) preimage(w *worker, x []float64, t float64, factor bool) error {
	net, d := f.Net, f.Net.Dim()
	obj := func(z, g []float64) float64 {
		psi, _ := net.Grad(g, w.ws, z)
		val := t * psi
		for i := range d {
			val += (1-t)*z[i]*z[i]/2 - x[i]*z[i]
			g[i] = t*g[i] + (1-t)*z[i] - x[i]
		}
		return val
	}
	scale := 1.0
	for _, v := range x {
		scale = max(scale, math.Abs(v))
	}
	// First guess: the minimiser for the quadratic part of Ψ alone,
	// (tQ + (1-t)I)z = x - ta, exact when the hidden layers are flat.
	q, a := net.Quadratic()
	for i := range d {
		for j := range d {
			w.h[i*d+j] = t * q[i*d+j]
		}
		w.h[i*d+i] += 1 - t
		w.z[i] = x[i] - t*a[i]
	}
	if !w.chol.Factorize(w.h, d, 0) {
		copy(w.z, x)
	} else {
		w.chol.Solve(w.z, w.z)
	}
	fz := obj(w.z, w.g)
	for it := 0; ; it++ {
		w.iters++
		// Rounding can keep |∇F| just above a tight tolerance: at the
		// iteration limit, a gradient below √Tol is still a minimiser to
		// working accuracy.
		if g := normInf(w.g); g <= f.set.Tol*scale || (it == f.set.MaxIter && g <= math.Sqrt(f.set.Tol)*scale) {
			if factor {
				return f.factorAt(w, t)
			}
			return nil
		}
		if it == f.set.MaxIter {
			return fmt.Errorf("ofm: the inner problem at t=%g did not converge in %d Newton iterations (|∇F| = %.3g); the potential may be badly conditioned: try a larger icnn Alpha or a smaller learning rate", t, it, normInf(w.g))
		}
		if err := f.factorAt(w, t); err != nil {
			return err
		}
		for i := range d {
			w.step[i] = -w.g[i]
		}
		w.chol.Solve(w.step, w.step)
		slope := 0.0
		for i := range d {
			slope += w.g[i] * w.step[i]
		}
		a := 1.0
		accepted := false
		for range 40 {
			for i := range d {
				w.zTry[i] = w.z[i] + a*w.step[i]
			}
			ft := obj(w.zTry, w.gTry)
			// Near the minimiser F stops decreasing measurably; accept
			// any step that reduces the gradient then.
			if ft <= fz+1e-4*a*slope || (ft <= fz+1e-12*math.Abs(fz) && normInf(w.gTry) < normInf(w.g)) {
				accepted = true
				fz = ft
				break
			}
			a /= 2
		}
		if !accepted {
			// Leave the network state at z.
			obj(w.z, w.g)
			if normInf(w.g) <= 1e3*f.set.Tol*scale {
				if factor {
					return f.factorAt(w, t)
				}
				return nil
			}
			return fmt.Errorf("ofm: the line search of the inner problem at t=%g failed (|∇F| = %.3g)", t, normInf(w.g))
		}
		w.z, w.zTry = w.zTry, w.z
		w.g, w.gTry = w.gTry, w.g
	}
}

// factorAt factorises t∇²Ψ(z) + (1-t)I into w.chol, at the
// point of the network's last Grad.
func (f *Field) factorAt(w *worker, t float64) error {
	d := f.Net.Dim()
	if err := f.Net.Hessian(w.h, w.ws); err != nil {
		return err
	}
	for i := range w.h {
		w.h[i] *= t
	}
	for i := range d {
		w.h[i*d+i] += 1 - t
	}
	if !w.chol.Factorize(w.h, d, 0) {
		return fmt.Errorf("ofm: t∇²Ψ + (1-t)I is not positive definite at t=%g (non-finite weights?)", t)
	}
	return nil
}

func normInf(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		if !(math.Abs(x) <= m) {
			m = math.Abs(x)
		}
	}
	return m
}

func (f *Field) checkRows(name string, x []float64, n, width int) error {
	if n < 1 || len(x) != n*width {
		return fmt.Errorf("ofm: %s has %d values, want %d rows × %d", name, len(x), n, width)
	}
	return nil
}

func checkTime(t float64) error {
	if !(t >= 0 && t <= 1) {
		return fmt.Errorf("ofm: time %v outside [0, 1]", t)
	}
	return nil
}

// Preimage writes to dst the preimages z of the n rows of x at time t: the
// points whose straight optimal paths pass through x at t.
func (f *Field) Preimage(dst, x []float64, t float64, n int) error {
	d := f.Net.Dim()
	if err := errors.Join(f.checkRows("x", x, n, d), f.checkRows("dst", dst, n, d), checkTime(t)); err != nil {
		return err
	}
	return f.parallel(n, func(w *worker, lo, hi int) {
		for r := lo; r < hi && w.err == nil; r++ {
			w.err = f.preimage(w, x[r*d:(r+1)*d], t, false)
			copy(dst[r*d:(r+1)*d], w.z)
		}
	})
}

// Velocity writes the optimal field u(x, t) = ∇Ψ(z) - z at the n rows of x
// to dst.
func (f *Field) Velocity(dst, x []float64, t float64, n int) error {
	d := f.Net.Dim()
	if err := errors.Join(f.checkRows("x", x, n, d), f.checkRows("dst", dst, n, d), checkTime(t)); err != nil {
		return err
	}
	return f.parallel(n, func(w *worker, lo, hi int) {
		for r := lo; r < hi && w.err == nil; r++ {
			if w.err = f.preimage(w, x[r*d:(r+1)*d], t, false); w.err != nil {
				return
			}
			u := dst[r*d : (r+1)*d]
			f.Net.Grad(u, w.ws, w.z)
			for i := range d {
				u[i] -= w.z[i]
			}
		}
	})
}

// Potential writes the potential s(x, t) of the optimal field (see the
// package documentation) at the n rows of x to dst (len n).
func (f *Field) Potential(dst, x []float64, t float64, n int) error {
	d := f.Net.Dim()
	if err := errors.Join(f.checkRows("x", x, n, d), f.checkRows("dst", dst, n, 1), checkTime(t)); err != nil {
		return err
	}
	return f.parallel(n, func(w *worker, lo, hi int) {
		for r := lo; r < hi && w.err == nil; r++ {
			dst[r], w.err = f.potential(w, x[r*d:(r+1)*d], t)
		}
	})
}

// potential returns s(x, t), leaving the network state at the preimage z
// (in w.z), where ∂θs = ∂θΨ(z) by the envelope theorem.
func (f *Field) potential(w *worker, x []float64, t float64) (float64, error) {
	d := f.Net.Dim()
	if t == 0 {
		copy(w.z, x)
		psi, _ := f.Net.Grad(nil, w.ws, x)
		return psi - dot(x, x)/2, nil
	}
	if err := f.preimage(w, x, t, false); err != nil {
		return 0, err
	}
	psi, _ := f.Net.Grad(nil, w.ws, w.z)
	s := psi - dot(w.z, w.z)/2
	var dist float64
	for i := range d {
		dist += (x[i] - w.z[i]) * (x[i] - w.z[i])
	}
	return s + dist/(2*t), nil
}

// Map writes T(x) = ∇Ψ(x), the one-step transport map, at the n rows of x
// to dst.
func (f *Field) Map(dst, x []float64, n int) error {
	d := f.Net.Dim()
	if err := errors.Join(f.checkRows("x", x, n, d), f.checkRows("dst", dst, n, d)); err != nil {
		return err
	}
	return f.parallel(n, func(w *worker, lo, hi int) {
		for r := lo; r < hi; r++ {
			f.Net.Grad(dst[r*d:(r+1)*d], w.ws, x[r*d:(r+1)*d])
		}
	})
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
