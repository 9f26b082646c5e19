package noise

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Schedule is how the noise's standard deviation s(t) depends on time.
type Schedule uint8

// The schedules.
const (
	Constant Schedule = iota // s(t) = σ
	Bridge                   // s(t) = σ√(t(1−t))
)

var scheduleNames = [...]string{Constant: "constant", Bridge: "bridge"}

func (s Schedule) String() string {
	if int(s) < len(scheduleNames) {
		return scheduleNames[s]
	}
	return fmt.Sprintf("Schedule(%d)", uint8(s))
}

// ParseSchedule returns the schedule named s ("" means constant).
func ParseSchedule(s string) (Schedule, error) {
	switch strings.ToLower(s) {
	case "", "constant":
		return Constant, nil
	case "bridge":
		return Bridge, nil
	}
	return 0, fmt.Errorf("noise schedule %q: want constant or bridge", s)
}

// Std returns s(t) for the noise level sigma.
func (s Schedule) Std(sigma, t float64) float64 {
	if s == Bridge {
		return sigma * math.Sqrt(math.Max(0, t*(1-t)))
	}
	return sigma
}

// Rate returns ṡ(t), the derivative of s at t, which the target needs:
// 0 for Constant; σ(1 − 2t)/(2√(t(1−t))) for Bridge, and 0 at t = 0 or 1
// where the bridge has no noise to move.
func (s Schedule) Rate(sigma, t float64) float64 {
	if s != Bridge {
		return 0
	}
	q := t * (1 - t)
	if !(q > 0) {
		return 0
	}
	return sigma * (1 - 2*t) / (2 * math.Sqrt(q))
}

// Perturb turns a point μ_t and velocity μ̇_t of a pair's path, held in xt
// and ut, into a draw x_t = μ_t + s(t)ε of the Gaussian path and its
// target u_t = μ̇_t + ṡ(t)ε, with ε ~ N(0, I) from rng. It draws nothing
// when sigma is 0.
func (s Schedule) Perturb(xt, ut []float64, sigma, t float64, rng *rand.Rand) {
	if sigma == 0 {
		return
	}
	std, rate := s.Std(sigma, t), s.Rate(sigma, t)
	for i := range xt {
		e := rng.NormFloat64()
		xt[i] += std * e
		ut[i] += rate * e
	}
}
