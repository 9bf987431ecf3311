package bench

import (
	"math"
	"slices"
)

// median returns the median of xs (the mean of the two middle values for an
// even count), or NaN for none. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// minMax returns the smallest and largest of xs, or NaN, NaN for none.
func minMax(xs []float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	return slices.Min(xs), slices.Max(xs)
}

// ratio returns a/b, or NaN when b is not positive or either is NaN.
func ratio(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) || b <= 0 {
		return math.NaN()
	}
	return a / b
}

// perResource returns requests per resource, or NaN for no resources.
func perResource(requests, resources int) float64 {
	if resources <= 0 {
		return math.NaN()
	}
	return float64(requests) / float64(resources)
}

// round rounds x to d decimals; NaN stays NaN.
func round(x float64, d int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}
