package fm_test

import (
	"fmt"
	"testing"

	"github.com/lagc-dev/lagc/runtime/fm"
)

// BenchmarkTrain measures training iterations at batch 256 for kinetic and
// bump Lagrangians with minibatch OT, at MLP widths 64 and 256, and reports
// the share of time in OT (cost matrix + assignment), path targets (numeric
// solves + x_t, u_t) and the network step. The bump's numeric paths are
// solved once per pool batch: its figures are the steady state after the
// pool is built, with the pool's cost reported separately. Shares are of
// the work done, which overlaps when batches are prefetched.
func BenchmarkTrain(b *testing.B) {
	for _, lag := range []string{"kinetic.lag", "harmonic.lag", "bump.lag"} {
		for _, w := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/w%d", lag, w), func(b *testing.B) {
				set := fm.DefaultSettings()
				set.Hidden = []int{w, w, w}
				set.Pairs.Pool = 2
				t := &testing.T{}
				tr, err := fm.NewTrainer(&fm.Problem{Sys: compile(t, lag, nil, 2), Source: lookup(t, "8gaussians"), Target: lookup(t, "moons"), Seed: 1}, &set)
				if err != nil {
					b.Fatal(err)
				}
				// Warm up: build the pool of numeric paths.
				for i := 0; i < set.Pairs.Pool; i++ {
					if _, err := tr.Iterate(nil); err != nil {
						b.Fatal(err)
					}
				}
				pool := tr.Pairs.Time
				tr.Pairs.Time = fm.Timing{}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := tr.Iterate(nil); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				tm := tr.Pairs.Time
				total := float64(tm.Total())
				b.ReportMetric(100*float64(tm.Cost+tm.Assign)/total, "%ot")
				b.ReportMetric(100*float64(tm.Solve+tm.Targets)/total, "%paths")
				b.ReportMetric(100*float64(tm.Network)/total, "%net")
				// With prefetching, OT overlaps training; waiting is what
				// it still costs the iteration.
				b.ReportMetric(float64(tm.Wait.Microseconds())/float64(b.N), "µs-wait/op")
				if lag == "bump.lag" {
					b.ReportMetric(pool.Total().Seconds()/float64(set.Pairs.Pool), "s/poolbatch")
				}
			})
		}
	}
}
