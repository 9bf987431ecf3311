package bench

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The plot (docs/performance.png) is drawn with gonum.org/v1/plot: one panel
// per phase, the median wall time against N, one line per configuration
// (terraform_data, the configurations without an API and the variants
// dashed), a legend shared by the panels below them, and a note on the run.

var kindColors = map[Kind]color.RGBA{
	kindData:       {0x33, 0x33, 0x33, 0xff},
	kindNull:       {0x94, 0x67, 0xbd, 0xff},
	kindNullSecret: {0x8c, 0x56, 0x4b, 0xff},
	// The other twins: their API configuration's colour, dashed (NoAPI).
	kindNullGalaxias: {0x2c, 0xa0, 0x2c, 0xff},
	kindNullMixed:    {0xd6, 0x27, 0x28, 0xff},
	kindDrone:        {0x1f, 0x77, 0xb4, 0xff},
	kindGalaxias:     {0x2c, 0xa0, 0x2c, 0xff},
	kindMixed:        {0xd6, 0x27, 0x28, 0xff},
}

// otherColor draws a kind that has no colour of its own.
var otherColor = color.RGBA{0xff, 0x7f, 0x0e, 0xff}

// The size of the image and of its parts.
const (
	plotDPI        = 96
	plotWidth      = 16 * vg.Inch
	panelsHeight   = 4 * vg.Inch
	legendColumns  = 4
	legendRowH     = 0.28 * vg.Inch
	noteHeight     = 0.45 * vg.Inch
	plotMargin     = 0.15 * vg.Inch
	plotFontSize   = 12
	legendFontSize = 11
)

var plotFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

type series struct {
	label  string
	color  color.RGBA
	dashed bool
	dotted bool // measured with latency added: the kind's colour, dotted
}

// plotSeries lists the lines of the plot: one per kind, variant and latency
// present, terraform_data first.
func plotSeries(r *Report) []series {
	var out []series
	seen := map[string]bool{}
	for _, res := range sortedResults(r) {
		l := res.Label()
		if seen[l] {
			continue
		}
		seen[l] = true
		c, ok := kindColors[res.Kind]
		if !ok {
			c = otherColor
		}
		if res.Variant != "" { // the kind's colour, lighter
			c = color.RGBA{lighten(c.R), lighten(c.G), lighten(c.B), 0xff}
		}
		out = append(out, series{label: l, color: c, dashed: res.Kind.NoAPI() || res.Variant != "", dotted: res.LatencyMs > 0})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].label == string(kindData) && out[j].label != string(kindData) })
	return out
}

func lighten(v uint8) uint8 { return uint8((int(v)*5 + 255*4) / 9) } //nolint:gosec // at most 255

// seriesPoints returns the points (N, median seconds) of one line in one
// phase, by N; a result without a median (no successful run) has no point.
func seriesPoints(r *Report, label, phase string) plotter.XYs {
	var xys plotter.XYs
	for _, res := range sortedResults(r) {
		t := float64(res.Summary[phase].MedianS)
		if res.Label() != label || math.IsNaN(t) {
			continue
		}
		xys = append(xys, plotter.XY{X: float64(res.N), Y: t})
	}
	return xys
}

// styled returns the line and the dots of one series.
func styled(se series, xys plotter.XYs) (*plotter.Line, *plotter.Scatter, error) {
	line, dots, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, nil, err
	}
	line.LineStyle = draw.LineStyle{Color: se.color, Width: vg.Points(1.5)}
	switch {
	case se.dotted:
		line.LineStyle.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	case se.dashed:
		line.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: se.color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	return line, dots, nil
}

// panel draws one phase.
func panel(r *Report, phase string, lines []series) (*plot.Plot, error) {
	p := plot.New()
	title := phase
	if phase == phaseRefresh {
		title = "refresh-plan"
	}
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(plotFont, plotFontSize+2)
	p.X.Label.Text, p.Y.Label.Text = "N resources", "seconds"
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(plotFont, plotFontSize)
		a.Tick.Label.Font = font.From(plotFont, plotFontSize-1)
	}
	p.X.Min, p.Y.Min = 0, 0
	var ticks plot.ConstantTicks
	for _, n := range r.Ns {
		ticks = append(ticks, plot.Tick{Value: float64(n), Label: fmt.Sprint(n)})
		p.X.Max = math.Max(p.X.Max, float64(n))
	}
	p.X.Tick.Marker = ticks
	p.Y.Tick.Marker = labelledTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = color.Gray{0xdd}, color.Gray{0xdd}
	p.Add(grid)
	for _, se := range lines {
		xys := seriesPoints(r, se.label, phase)
		if len(xys) == 0 {
			continue
		}
		line, dots, err := styled(se, xys)
		if err != nil {
			return nil, fmt.Errorf("%s, %s: %w", phase, se.label, err)
		}
		p.Add(line, dots)
	}
	p.Y.Max *= 1.05 // room above the highest point
	return p, nil
}

// labelledTicks are gonum's default ticks on the time axis, labelled so that
// every grid line, or every second one when there are many, has its value.
type labelledTicks struct{}

func (labelledTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Value < ts[j].Value })
	every := 1
	if len(ts) > 8 {
		every = 2
	}
	for i := range ts {
		ts[i].Label = ""
		if i%every == 0 {
			ts[i].Label = strconv.FormatFloat(round(ts[i].Value, 3), 'f', -1, 64)
		}
	}
	return ts
}

// legends lays the series out in columns of plot legends, row by row.
func legends(lines []series) ([]plot.Legend, error) {
	cols := make([]plot.Legend, legendColumns)
	for i := range cols {
		cols[i] = plot.NewLegend()
		cols[i].Top, cols[i].Left = true, true
		cols[i].TextStyle.Font = font.From(plotFont, legendFontSize)
		cols[i].ThumbnailWidth = vg.Points(30)
		cols[i].Padding = legendRowH - cols[i].TextStyle.Font.Size
	}
	for i, se := range lines {
		line, dots, err := styled(se, plotter.XYs{{}})
		if err != nil {
			return nil, err
		}
		label := se.label
		if label == string(kindData) {
			label += " (floor)"
		}
		cols[i%legendColumns].Add(label, line, dots)
	}
	return cols, nil
}

// note describes the run under the legend.
func note(r *Report) string {
	return fmt.Sprintf("Median wall time. %s, %d CPUs, Terraform %s, %s.", r.Date, r.Machine.NProc, r.Machine.Terraform, r.Machine.GoVersion)
}

// writePlot draws docs/performance.png.
func writePlot(r *Report, path string) error {
	lines := plotSeries(r)
	rows := max(1, (len(lines)+legendColumns-1)/legendColumns)
	legendH := vg.Length(rows) * legendRowH
	img := vgimg.NewWith(
		vgimg.UseWH(plotWidth, panelsHeight+legendH+noteHeight+2*plotMargin),
		vgimg.UseDPI(plotDPI),
		vgimg.UseBackgroundColor(color.White),
	)
	dc := draw.Crop(draw.New(img), plotMargin, -plotMargin, plotMargin, -plotMargin)

	panels := make([]*plot.Plot, len(phases))
	for i, phase := range phases {
		p, err := panel(r, phase, lines)
		if err != nil {
			return err
		}
		panels[i] = p
	}
	top := draw.Crop(dc, 0, 0, legendH+noteHeight, 0)
	tiles := draw.Tiles{Rows: 1, Cols: len(panels), PadX: 0.4 * vg.Inch}
	for i, c := range plot.Align([][]*plot.Plot{panels}, tiles, top)[0] {
		panels[i].Draw(c)
	}

	cols, err := legends(lines)
	if err != nil {
		return err
	}
	legendArea := draw.Crop(dc, 0, 0, noteHeight, -panelsHeight)
	colW := (legendArea.Max.X - legendArea.Min.X) / legendColumns
	for i := range cols {
		cols[i].Draw(draw.Crop(legendArea, vg.Length(i)*colW, -vg.Length(legendColumns-1-i)*colW, 0, 0))
	}
	sty := cols[0].TextStyle
	sty.Color = color.Gray{0x55}
	dc.FillText(sty, vg.Point{X: dc.Min.X, Y: dc.Min.Y + noteHeight/3}, note(r))

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
