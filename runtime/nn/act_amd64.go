//go:build !purego

package nn

//go:noescape
func seluAVX2(z, d *float64, n int)

//go:noescape
func siluAVX2(z, d *float64, n int)

//go:noescape
func tanhAVX2(z, d *float64, n int)

//go:noescape
func reluAVX2(z, d *float64, n int)
