package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/lagc-dev/lagc/internal/atomicfile"
)

// maxGridPixels bounds the picture ImageGrid allocates.
const maxGridPixels = 1 << 24

// ImageGrid writes a PNG of small grey images laid out in a grid: images
// holds rows·cols images of h×w pixels each (row-major, image after image,
// grid row after grid row), drawn with lo as black and hi as white (values
// outside are clipped, non-finite ones drawn red), each pixel enlarged to
// scale×scale, with a one-pixel gap. It draws the samples of a
// class-conditional model, one class per grid row.
func ImageGrid(path string, images []float64, rows, cols, h, w int, lo, hi float64, scale int) error {
	if !strings.EqualFold(filepath.Ext(path), ".png") {
		return fmt.Errorf("plot %s: an image grid is written as .png", path)
	}
	switch {
	case rows < 1 || cols < 1 || h < 1 || w < 1 || scale < 1:
		return fmt.Errorf("plot %s: grid of %d×%d images of %d×%d pixels at scale %d: all must be positive", path, rows, cols, h, w, scale)
	case !(hi > lo) || math.IsInf(hi-lo, 0):
		return fmt.Errorf("plot %s: grey range [%v, %v] must be finite and increasing", path, lo, hi)
	}
	W, H := cols*(w*scale+1)+1, rows*(h*scale+1)+1
	if W > maxGridPixels/H || len(images) != rows*cols*h*w {
		return fmt.Errorf("plot %s: %d values for %d×%d images of %d×%d pixels, or a picture too large", path, len(images), rows, cols, h, w)
	}
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	for i := range img.Pix {
		img.Pix[i] = 255 // white gaps
	}
	for r := range rows {
		for c := range cols {
			im := images[(r*cols+c)*h*w : (r*cols+c+1)*h*w]
			for y := range h {
				for x := range w {
					v := im[y*w+x]
					col := color.RGBA{255, 0, 0, 255}
					if !math.IsNaN(v) && !math.IsInf(v, 0) {
						g := uint8(math.Round(255 * math.Min(1, math.Max(0, (v-lo)/(hi-lo)))))
						col = color.RGBA{g, g, g, 255}
					}
					x0, y0 := 1+c*(w*scale+1)+x*scale, 1+r*(h*scale+1)+y*scale
					for dy := range scale {
						for dx := range scale {
							img.SetRGBA(x0+dx, y0+dy, col)
						}
					}
				}
			}
		}
	}
	return atomicfile.Write(path, func(wr io.Writer) error { return png.Encode(wr, img) })
}
