package main

import "testing"

func TestEquivalenceUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--seeds", "0"}, {"--dims", "2,x"}, {"--dims", "100"}, {"--lr", "-1"}, {"extra"},
	} {
		if code, _, _ := lagc(t, "", append([]string{"experiment", "equivalence"}, args...)...); code != 2 {
			t.Errorf("experiment equivalence %v: exit %d, want 2", args, code)
		}
	}
}
