package bench

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"sort"
	"strings"
)

// The plot is drawn with the standard library only: one panel per phase,
// wall time (median) against N, one line per configuration, terraform_data
// dashed. Text uses the 3×5 pixel font below, scaled.

var kindColors = map[Kind]color.RGBA{
	KindData:       {0x33, 0x33, 0x33, 0xff},
	KindNull:       {0x94, 0x67, 0xbd, 0xff},
	KindNullSecret: {0x8c, 0x56, 0x4b, 0xff},
	KindDrone:      {0x1f, 0x77, 0xb4, 0xff},
	KindGalaxias:   {0x2c, 0xa0, 0x2c, 0xff},
	KindMixed:      {0xd6, 0x27, 0x28, 0xff},
}

type series struct {
	label  string
	color  color.RGBA
	dashed bool
}

// plotSeries lists the lines of the plot: one per kind and variant present.
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
			c = color.RGBA{0xff, 0x7f, 0x0e, 0xff}
		}
		if res.Variant != "" { // the kind's colour, lighter
			c = color.RGBA{lighten(c.R), lighten(c.G), lighten(c.B), 0xff}
		}
		out = append(out, series{label: l, color: c, dashed: res.Kind.NoAPI() || res.Variant != ""})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].label == string(KindData) && out[j].label != string(KindData) })
	return out
}

// WritePlot draws docs/performance.png.
func WritePlot(r *Report, path string) error {
	img := Plot(r)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Plot draws the chart.
func Plot(r *Report) *image.RGBA {
	const (
		panelW, panelH = 420, 340
		left, right    = 70, 20
		top, bottom    = 50, 60
		legendRowH     = 24
	)
	W := len(Phases) * (panelW + left + right)
	legend := legendLayout(r, left, W-right)
	rows := 1
	for _, it := range legend {
		rows = max(rows, it.row+1)
	}
	H := panelH + top + bottom + rows*legendRowH + 40
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	fill(img, img.Bounds(), color.RGBA{0xff, 0xff, 0xff, 0xff})
	black := color.RGBA{0, 0, 0, 0xff}
	grey := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}

	maxN := 0
	for _, n := range r.Ns {
		maxN = max(maxN, n)
	}
	for _, res := range r.Results {
		maxN = max(maxN, res.N)
	}
	if maxN == 0 {
		maxN = 1
	}
	for pi, phase := range Phases {
		x0 := pi*(panelW+left+right) + left
		y0 := top
		maxT := 0.0
		for _, res := range r.Results {
			if t := float64(res.Summary[phase].MedianS); !math.IsNaN(t) {
				maxT = math.Max(maxT, t)
			}
		}
		maxT = niceCeil(maxT)
		px := func(n float64) int { return x0 + int(n/float64(maxN)*float64(panelW)) }
		py := func(t float64) int { return y0 + panelH - int(t/maxT*float64(panelH)) }
		// grid and ticks
		for i := 0; i <= 5; i++ {
			t := maxT * float64(i) / 5
			y := py(t)
			hline(img, x0, x0+panelW, y, grey)
			label := trimFloat(t)
			text(img, x0-6-textWidth(label, 2), y-5, label, 2, black)
		}
		for _, n := range r.Ns {
			x := px(float64(n))
			vline(img, x, y0, y0+panelH, grey)
			label := fmt.Sprint(n)
			text(img, x-textWidth(label, 2)/2, y0+panelH+8, label, 2, black)
		}
		rect(img, x0, y0, x0+panelW, y0+panelH, black)
		title := strings.ToUpper(phase)
		if phase == PhaseRefresh {
			title = "REFRESH-PLAN"
		}
		text(img, x0+panelW/2-textWidth(title, 3)/2, 12, title, 3, black)
		text(img, x0+panelW/2-textWidth("N RESOURCES", 2)/2, y0+panelH+30, "N RESOURCES", 2, black)
		text(img, x0-60, y0-30, "SECONDS", 2, black)
		for _, se := range plotSeries(r) {
			var pts [][2]int
			for _, res := range sortedResults(r) {
				if res.Label() != se.label {
					continue
				}
				t := float64(res.Summary[phase].MedianS)
				if math.IsNaN(t) {
					continue
				}
				pts = append(pts, [2]int{px(float64(res.N)), py(t)})
			}
			for i := range pts {
				dot(img, pts[i][0], pts[i][1], 4, se.color)
				if i > 0 {
					line(img, pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1], se.color, se.dashed)
				}
			}
		}
	}
	// legend, wrapped into rows
	y0 := top + panelH + bottom + 10
	for _, it := range legend {
		x, y := it.x, y0+it.row*legendRowH
		line(img, x, y+5, x+30, y+5, it.se.color, it.se.dashed)
		line(img, x, y+6, x+30, y+6, it.se.color, it.se.dashed)
		dot(img, x+15, y+5, 4, it.se.color)
		text(img, x+40, y, it.label, 2, color.RGBA{0, 0, 0, 0xff})
	}
	y := y0 + (rows-1)*legendRowH
	note := "MEDIAN WALL TIME " + strings.ToUpper(r.Date) + " " + fmt.Sprintf("%d CPU", r.Machine.NProc) +
		" TERRAFORM " + r.Machine.Terraform + " " + strings.ToUpper(r.Machine.GoVersion)
	text(img, left, y+30, note, 2, color.RGBA{0x55, 0x55, 0x55, 0xff})
	return img
}

type legendItem struct {
	se     series
	label  string
	x, row int
}

// legendLayout places the legend's entries left to right, starting a new row
// when an entry would cross maxX.
func legendLayout(r *Report, minX, maxX int) []legendItem {
	var out []legendItem
	x, row := minX, 0
	for _, se := range plotSeries(r) {
		label := strings.ToUpper(se.label)
		if se.label == string(KindData) {
			label += " (FLOOR)"
		}
		w := 40 + textWidth(label, 2)
		if x > minX && x+w > maxX {
			x, row = minX, row+1
		}
		out = append(out, legendItem{se: se, label: label, x: x, row: row})
		x += w + 30
	}
	return out
}

func lighten(v uint8) uint8 { return uint8((int(v)*5 + 255*4) / 9) } //nolint:gosec // at most 255

func niceCeil(x float64) float64 {
	if x <= 0 || math.IsNaN(x) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

func hline(img *image.RGBA, x0, x1, y int, c color.RGBA) {
	for x := x0; x <= x1; x++ {
		img.SetRGBA(x, y, c)
	}
}

func vline(img *image.RGBA, x, y0, y1 int, c color.RGBA) {
	for y := y0; y <= y1; y++ {
		img.SetRGBA(x, y, c)
	}
}

func rect(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	hline(img, x0, x1, y0, c)
	hline(img, x0, x1, y1, c)
	vline(img, x0, y0, y1, c)
	vline(img, x1, y0, y1, c)
}

func dot(img *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			if x*x+y*y <= r*r {
				img.SetRGBA(cx+x, cy+y, c)
			}
		}
	}
}

// line draws a 2-pixel line (Bresenham), dashed when asked.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA, dashed bool) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for i := 0; ; i++ {
		if !dashed || (i/8)%2 == 0 {
			img.SetRGBA(x0, y0, c)
			img.SetRGBA(x0, y0+1, c)
			img.SetRGBA(x0+1, y0, c)
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// glyphs is a 3×5 pixel font: five rows of three pixels, '#' set.
var glyphs = map[rune]string{
	'0': "####.##.##.####", '1': ".#.##..#..#.###", '2': "###..#####..###", '3': "###..####..####",
	'4': "#.##.####..#..#", '5': "####..###..####", '6': "####..####.####", '7': "###..#..#..#..#",
	'8': "####.#####.####", '9': "####.####..####",
	'A': ".#.#.#####.##.#", 'B': "##.#.###.#.###.", 'C': "####..#..#..###", 'D': "##.#.##.##.###.",
	'E': "####..####..###", 'F': "####..####..#..", 'G': "####..#.##.####", 'H': "#.##.#####.##.#",
	'I': "###.#..#..#.###", 'J': "..#..#..##.####", 'K': "#.##.###.#.##.#", 'L': "#..#..#..#..###",
	'M': "#.########.##.#", 'N': "##.#.##.##.##.#", 'O': "####.##.##.####", 'P': "####.#####..#..",
	'Q': "####.##.####..#", 'R': "####.###.#.##.#", 'S': "####..###..####", 'T': "###.#..#..#..#.",
	'U': "#.##.##.##.####", 'V': "#.##.##.##.#.#.", 'W': "#.##.##.#####.#", 'X': "#.##.#.#.#.##.#",
	'Y': "#.##.#.#..#..#.", 'Z': "###..#.#.#..###",
	'.': "............#..", '-': "......###......", '_': "............###", ':': "....#.....#....",
	'(': ".#.#..#..#...#.", ')': ".#...#..#..#.#.", '/': "..#..#.#.#..#..", ',': "..........#.#..",
	'+': "....#.###.#....", ' ': "...............",
}

func textWidth(s string, scale int) int { return len([]rune(s)) * 4 * scale }

func text(img *image.RGBA, x, y int, s string, scale int, c color.RGBA) {
	for _, ch := range strings.ToUpper(s) {
		g, ok := glyphs[ch]
		if !ok {
			g = glyphs['.']
		}
		for i := 0; i < 15 && i < len(g); i++ {
			if g[i] != '#' {
				continue
			}
			gx, gy := i%3, i/3
			for yy := 0; yy < scale; yy++ {
				for xx := 0; xx < scale; xx++ {
					img.SetRGBA(x+gx*scale+xx, y+gy*scale+yy, c)
				}
			}
		}
		x += 4 * scale
	}
}
