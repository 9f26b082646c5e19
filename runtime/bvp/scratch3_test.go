package bvp

import "github.com/lagc-dev/lagc/runtime/ode"

type odeFixed = ode.Fixed

func newFixedRK8(n int) (*ode.Fixed, error) { return ode.NewFixed(ode.RK8, n) }
