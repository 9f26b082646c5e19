package experiment

// About describes an experiment for listings and help: its name, a line
// on what it measures and, for the experiments whose text names no
// setting of a front end, a paragraph on how.
type About struct {
	Name, Summary, Description string
}

// Catalog lists the experiments in the order to show them.
var Catalog = []About{
	{Name: "fm2d", Summary: "flow matching on 2D benchmarks: W2 and NFE per Lagrangian, coupling and solver",
		Description: `Trains MLP 3×64 SELU velocity fields (batch 256, Adam 1e-3, σ = 0.1) from
gaussian and 8gaussians to moons for each Lagrangian with minibatch OT, and
reports W2 (2048 samples vs 2048 fresh targets) and NFE for Euler 100 steps,
RK4 20 steps and dopri5, averaged over seeds. Lagrangian files not found on disk
are looked up among the examples shipped with lagc (kinetic.lag, bump.lag, …).`},
	{Name: "equivalence", Summary: "FM, AM, OFM and AM-optimal against the closed-form Gaussian OT map (L2-UVP)",
		Description: `Gaussian N(m0, Σ0) → N(m1, Σ1) with random covariances, whose OT map T* is known in
closed form. For each interpolation p_t (independent straight paths, independent
harmonic ω=π/2 paths, minibatch-OT straight paths) trains plain flow matching (MLP
field), plain Action Matching (MLP potential), Optimal Flow Matching and Action
Matching restricted to optimal fields (ICNN potential), and prints
L2-UVP = 100·E|T(x) - T*(x)|²/Var(p1) in % over fresh x ~ p0, mean ± std over seeds.
Flows map by integrating their field (RK4, 32 steps), optimal ones by ∇Ψ. The FM and
AM limit columns are the exact maps plain FM and AM converge to on independent
couplings (infinite data and capacity), from the closed-form Gaussian fields.
Then a 2-D Gaussian → 8-Gaussian mixture case compares the paths of FM and OFM.`},
	{Name: "loo", Summary: "leave-one-out on a snapshot series: W1 of each held-out time per Lagrangian"},
}

// Describe returns the catalog entry of the named experiment (the zero
// About when there is none).
func Describe(name string) About {
	for _, a := range Catalog {
		if a.Name == name {
			return a
		}
	}
	return About{}
}
