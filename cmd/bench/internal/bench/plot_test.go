package bench

import (
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// plotReport has terraform_data and drone at two N, a drone run without a
// median in one phase, and a variant of the null provider.
func plotReport() *Report {
	res := func(k Kind, variant string, n int, refresh float64) *result {
		return &result{Kind: k, Variant: variant, N: n, Summary: map[string]summary{
			phaseApply: {MedianS: F(2 * refresh)}, phaseRefresh: {MedianS: F(refresh)}, phaseDestroy: {MedianS: F(1.5 * refresh)},
		}}
	}
	r := &Report{Date: "2026-01-02T03:04:05Z", Ns: []int{100, 500}, Machine: Machine{NProc: 2, Terraform: "1.11.4", GoVersion: "go1.26.8"}}
	r.Results = []*result{
		res(kindDrone, "", 500, 3), res(kindDrone, "", 100, 1), res(kindData, "", 500, 0.5), res(kindData, "", 100, 0.1),
		res(kindNull, "gogc-100", 100, 0.4), res(kindNull, "gogc-100", 500, 0.9),
	}
	r.Results[1].Summary[phaseDestroy] = summary{MedianS: F(math.NaN())}
	return r
}

func TestPlotSeries(t *testing.T) {
	got := plotSeries(plotReport())
	if len(got) != 3 || got[0].label != "terraform_data" || got[1].label != "null_provider (gogc-100)" || got[2].label != "drone" {
		t.Fatalf("series %+v, want terraform_data, null_provider (gogc-100), drone", got)
	}
	if !got[0].dashed || !got[1].dashed || got[2].dashed {
		t.Errorf("dashed: the floor and the variant, not drone: %+v", got)
	}
	if got[0].color != kindColors[kindData] || got[2].color != kindColors[kindDrone] {
		t.Errorf("colours %+v", got)
	}
	if got[1].color == kindColors[kindNull] {
		t.Error("the variant has its kind's colour, not a lighter one")
	}
}

func TestSeriesPoints(t *testing.T) {
	r := plotReport()
	xys := seriesPoints(r, "drone", phaseRefresh)
	if len(xys) != 2 || xys[0].X != 100 || xys[0].Y != 1 || xys[1].X != 500 || xys[1].Y != 3 {
		t.Errorf("drone refresh points %v, want (100, 1) (500, 3)", xys)
	}
	if xys := seriesPoints(r, "drone", phaseDestroy); len(xys) != 1 || xys[0].X != 500 {
		t.Errorf("drone destroy points %v: the run without a median has no point", xys)
	}
	if xys := seriesPoints(r, "null_provider", phaseRefresh); len(xys) != 0 {
		t.Errorf("null_provider without a variant has points %v", xys)
	}
}

// The PNG holds every series in its colour, and no colour of a kind that
// did not run.
func TestWritePlot(t *testing.T) {
	r := plotReport()
	path := filepath.Join(t.TempDir(), "p.png")
	if err := writePlot(r, path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != int(plotWidth.Dots(plotDPI)) {
		t.Errorf("width %d px", w)
	}
	// The panels above, the legend below.
	split := int((plotMargin + panelsHeight).Dots(plotDPI))
	panels, legend := map[color.RGBA]bool{}, map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		seen := panels
		if y >= split {
			seen = legend
		}
		for x := b.Min.X; x < b.Max.X; x++ {
			seen[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
		}
	}
	for _, se := range plotSeries(r) {
		if !panels[se.color] {
			t.Errorf("no pixel of %s's colour %v in the panels", se.label, se.color)
		}
		if !legend[se.color] {
			t.Errorf("no pixel of %s's colour %v in the legend", se.label, se.color)
		}
	}
	if panels[kindColors[kindGalaxias]] || legend[kindColors[kindGalaxias]] {
		t.Error("galaxias's colour is drawn, but galaxias did not run")
	}
}

func TestPlotSeriesPerLatency(t *testing.T) {
	r := plotReport()
	for _, n := range []int{100, 500} {
		r.Results = append(r.Results, &result{Kind: kindDrone, N: n, LatencyMs: 20, Summary: map[string]summary{
			phaseRefresh: {MedianS: F(float64(n) / 50)}}})
	}
	var at20 *series
	for _, se := range plotSeries(r) {
		if se.label == "drone @ 20 ms" {
			at20 = &se
		}
	}
	if at20 == nil || !at20.dotted || at20.color != kindColors[kindDrone] {
		t.Fatalf("drone @ 20 ms: %+v in %+v", at20, plotSeries(r))
	}
	if xys := seriesPoints(r, "drone @ 20 ms", phaseRefresh); len(xys) != 2 || xys[1].Y != 10 {
		t.Errorf("points at 20 ms %v", xys)
	}
	if xys := seriesPoints(r, "drone", phaseRefresh); len(xys) != 2 || xys[1].Y != 3 {
		t.Errorf("points at 0 ms %v: the 20 ms results are a line of their own", xys)
	}
}
