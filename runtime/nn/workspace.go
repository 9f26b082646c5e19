package nn

import (
	"fmt"
	"runtime"
	"slices"
)

// WorkspaceSettings configures a Workspace. The zero value and nil are the
// defaults.
type WorkspaceSettings struct {
	// Shards is the fixed number of row ranges a batch is split into
	// (default 2). Outputs never depend on it; parameter gradients are summed
	// shard by shard in order, so they depend on Shards in the last bits but
	// never on Workers or GOMAXPROCS.
	Shards int
	// Workers is the number of goroutines that process shards (default
	// min(Shards, GOMAXPROCS)); 1 keeps everything on the calling goroutine.
	Workers int
	// SecondOrder makes Forward and JVP keep what JVPBackward needs
	// (pre-activations, tangents), at the cost of more memory and copying.
	SecondOrder bool
}

// Workspace holds the buffers of forward and backward passes for up to
// maxBatch rows: activations and activation derivatives cached by Forward for
// Backward and JVP, gradient scratch, and per-shard partial gradients. After
// NewWorkspace, no pass allocates. A Workspace serves any MLP of the shape it
// was made for; it must not be used by two goroutines at once.
type Workspace struct {
	sizes    []int
	act      Activation
	maxBatch int
	shards   int
	workers  int

	batch  int   // rows of the last Forward; 0 before any
	fwd    *MLP  // network of the last Forward
	bounds []int // shard s covers rows [bounds[s], bounds[s+1])

	pad []int // pad[i] = sizes[i] rounded up to a multiple of 8
	// maxPad is the largest pad; shard s owns rows [bounds[s]*maxPad, …) of
	// the g buffers, whatever the stride of the layer being processed.
	maxPad int
	in     []float64   // maxBatch × sizes[0], a copy of Forward's input
	z      [][]float64 // z[l]: maxBatch × pad[l+1], output of layer l after its activation
	d      [][]float64 // d[l]: maxBatch × pad[l+1], activation derivative of hidden layer l
	out    []float64   // maxBatch × Out, compact outputs when pad differs from Out
	g      [2][]float64
	wpad   [][]float64 // zero-padded copies of layers whose width is not a multiple of 8
	bpad   [][]float64
	wt     [][]float64 // wt[l]: sizes[l+1] × pad[l], W_lᵀ for backward
	// Per-shard scratch: gradient vectors for shards ≥ 1 and padded weight
	// gradients for layers whose width is not a multiple of 8.
	shardGrad [][]float64
	dwPad     [][][]float64
	pack      [][]float64 // per shard, 4×maxBatch, for gemmTN
	gradOut   []float64   // MSE gradient buffer for MSEGrad

	// Second order (nil unless SecondOrder): zpre[l] pre-activations of
	// hidden layer l, tpre[l] and tpost[l] its tangents before and after
	// the activation (tpre[L-1] is the JVP), dir the JVP's direction, d2[l]
	// the activation's second derivative, adj four adjoint buffers.
	secondOrder bool
	jvpDone     bool // JVP ran since the last Forward
	zpre        [][]float64
	tpre, tpost [][]float64
	dir         []float64
	d2          [][]float64
	adj         [4][]float64
	gradJVPArg  []float64

	helpers *helpers
	// Arguments of the pass being run, read by the shard functions.
	net                      *MLP
	dstParams, dstIn, dstJVP []float64
	gradOutArg, dirArg       []float64
	targetArg                []float64
}

// NewWorkspace returns a Workspace for batches of up to maxBatch rows.
func (n *MLP) NewWorkspace(maxBatch int, s *WorkspaceSettings) (*Workspace, error) {
	if maxBatch <= 0 {
		return nil, fmt.Errorf("nn: workspace batch size must be positive, got %d", maxBatch)
	}
	var set WorkspaceSettings
	if s != nil {
		set = *s
	}
	if set.Shards < 0 || set.Workers < 0 {
		return nil, fmt.Errorf("nn: negative Shards (%d) or Workers (%d)", set.Shards, set.Workers)
	}
	if set.Shards == 0 {
		set.Shards = 2
	}
	if set.Workers == 0 {
		set.Workers = runtime.GOMAXPROCS(0)
	}
	set.Workers = min(set.Workers, set.Shards)
	maxWidth := slices.Max(n.sizes)
	if maxBatch > maxParams/(maxWidth+8) {
		return nil, fmt.Errorf("nn: workspace of %d rows of width up to %d is too large; evaluate in chunks (Predict)", maxBatch, maxWidth)
	}
	L := n.Layers()
	ws := &Workspace{
		sizes:    slices.Clone(n.sizes),
		act:      n.act,
		maxBatch: maxBatch,
		shards:   set.Shards,
		workers:  set.Workers,
		bounds:   make([]int, set.Shards+1),
		pad:      make([]int, len(n.sizes)),
		in:       make([]float64, maxBatch*n.sizes[0]),
		z:        make([][]float64, L),
		d:        make([][]float64, L),
		wpad:     make([][]float64, L),
		bpad:     make([][]float64, L),
		wt:       make([][]float64, L),
		dwPad:    make([][][]float64, set.Shards),
	}
	for i, s := range n.sizes {
		ws.pad[i] = (s + 7) &^ 7
		ws.maxPad = max(ws.maxPad, ws.pad[i])
	}
	for l := range L {
		in, out, p := n.sizes[l], n.sizes[l+1], ws.pad[l+1]
		ws.z[l] = make([]float64, maxBatch*p)
		if l < L-1 {
			ws.d[l] = make([]float64, maxBatch*p)
		}
		if p != out {
			ws.wpad[l] = make([]float64, in*p)
			ws.bpad[l] = make([]float64, p)
		}
		ws.wt[l] = make([]float64, out*ws.pad[l])
	}
	if out := n.Out(); ws.pad[L] != out {
		ws.out = make([]float64, maxBatch*out)
	}
	for i := range ws.g {
		ws.g[i] = make([]float64, maxBatch*ws.maxPad)
	}
	if set.SecondOrder {
		ws.secondOrder = true
		ws.zpre = make([][]float64, L)
		ws.tpre = make([][]float64, L)
		ws.tpost = make([][]float64, L)
		ws.d2 = make([][]float64, L)
		ws.dir = make([]float64, maxBatch*n.sizes[0])
		for l := range L {
			size := maxBatch * ws.pad[l+1]
			ws.tpre[l] = make([]float64, size)
			if l < L-1 {
				ws.zpre[l] = make([]float64, size)
				ws.tpost[l] = make([]float64, size)
				ws.d2[l] = make([]float64, size)
			}
		}
		for i := range ws.adj {
			ws.adj[i] = make([]float64, maxBatch*ws.maxPad)
		}
	}
	ws.shardGrad = make([][]float64, set.Shards)
	ws.pack = make([][]float64, set.Shards)
	for s := range set.Shards {
		ws.pack[s] = make([]float64, 4*maxBatch)
		if s > 0 {
			ws.shardGrad[s] = make([]float64, n.NumParams())
		}
		ws.dwPad[s] = make([][]float64, L)
		for l := range L {
			if ws.pad[l+1] != n.sizes[l+1] {
				ws.dwPad[s][l] = make([]float64, n.sizes[l]*ws.pad[l+1])
			}
		}
	}
	return ws, nil
}

// MaxBatch is the largest batch the workspace accepts.
func (ws *Workspace) MaxBatch() int { return ws.maxBatch }

func (ws *Workspace) check(n *MLP) error {
	if ws == nil {
		return fmt.Errorf("nn: nil Workspace (make one with MLP.NewWorkspace)")
	}
	if !n.sameShape(ws.sizes, ws.act) {
		return fmt.Errorf("nn: architecture mismatch: workspace is for sizes %v, %v; network has %s", ws.sizes, ws.act, n.describe())
	}
	return nil
}

// run calls f for every shard, spread over the workers: the calling
// goroutine takes shards 0, workers, 2·workers, …, helper w takes w,
// w+workers, …. Which goroutine runs a shard does not affect its result.
func (ws *Workspace) run(f func(ws *Workspace, s int)) {
	if ws.workers > 1 {
		if ws.helpers == nil {
			ws.startHelpers()
		}
		for w := 1; w < ws.workers; w++ {
			ws.helpers.jobs <- shardJob{ws, f, w}
		}
	}
	for s := 0; s < ws.shards; s += ws.workers {
		f(ws, s)
	}
	for w := 1; w < ws.workers; w++ {
		<-ws.helpers.done
	}
}

// helpers are the goroutines a Workspace hands shards to. They live as
// long as the Workspace: a cleanup closes jobs when it becomes unreachable,
// which the helpers never prevent, as they hold it only during a job.
// Long-lived helpers, rather than a go statement per pass, keep passes free
// of allocation.
type helpers struct {
	jobs chan shardJob
	done chan struct{}
}

type shardJob struct {
	ws *Workspace
	f  func(ws *Workspace, s int)
	w  int
}

func (ws *Workspace) startHelpers() {
	h := &helpers{jobs: make(chan shardJob), done: make(chan struct{}, ws.workers)}
	for range ws.workers - 1 {
		go h.serve()
	}
	runtime.AddCleanup(ws, func(h *helpers) { close(h.jobs) }, h)
	ws.helpers = h
}

func (h *helpers) serve() {
	for j := range h.jobs {
		for s := j.w; s < j.ws.shards; s += j.ws.workers {
			j.f(j.ws, s)
		}
		j = shardJob{}
		h.done <- struct{}{}
	}
}

// setBatch fixes the shard boundaries for batch rows. Boundaries fall on
// multiples of 4 so that the 4-row kernel sees the same bands whatever the
// split; the split never changes any row's arithmetic anyway.
func (ws *Workspace) setBatch(batch int) {
	ws.batch = batch
	for s := range ws.shards {
		ws.bounds[s] = (s * batch / ws.shards) &^ 3
	}
	ws.bounds[ws.shards] = batch
}
