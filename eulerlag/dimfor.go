package eulerlag

// DimFor picks the dimension to instantiate the system in: given when
// positive (Instantiate then checks it), else the system's fixed
// dimension, else fallback when positive (the data's), else the system's
// minimum.
func (s *System) DimFor(given, fallback int) int {
	switch {
	case given > 0:
		return given
	case s.Dim > 0:
		return s.Dim
	case fallback > 0:
		return fallback
	}
	return max(s.MinDim, 1)
}
