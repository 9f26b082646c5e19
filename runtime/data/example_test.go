package data_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/lagc-dev/lagc/runtime/data"
	"github.com/sbinet/npyio/npz"
	"gonum.org/v1/gonum/mat"
)

func ExampleLookup() {
	s, err := data.Lookup("moons")
	if err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 4
	x := make([]float64, n*s.Dim())
	s.Sample(x, n, rng)
	// Moons come in order: outer arc, then inner arc, by increasing angle,
	// so the first point is (1, 0) shifted by (u, u) and mapped by 3p − 1.
	fmt.Printf("%.2f\n", x[:2])

	_, err = data.Lookup("moon")
	fmt.Println(err)
	// Output:
	// [2.41 -0.59]
	// unknown data set "moon" (did you mean "moons"?); built-in sets are 8gaussians, checkerboard, circles, gaussian, moons, normal, scurve, or give a file as csv:PATH or npy:PATH
}

func ExampleOpen() {
	src, err := data.Open("gaussian", &data.Settings{Dim: 3})
	if err != nil {
		log.Fatal(err)
	}
	batch := make([]float64, 256*src.Dim())
	src.Sample(batch, 256, rand.New(rand.NewPCG(1, 2)))
	fmt.Println(src.Name(), src.Dim())
	// Output: gaussian 3
}

func ExampleOpen_file() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	// Ten points in 3D with a label column that the selection leaves out.
	x := make([]float64, 10*4)
	for i := range x {
		x[i] = float64(i)
	}
	path := filepath.Join(dir, "points.csv.gz")
	if err := data.WriteCSV(path, x, 10, 4, []string{"a", "b", "c", "label"}); err != nil {
		log.Fatal(err)
	}

	src, err := data.Open("csv:"+path, &data.Settings{Columns: "0:3"})
	if err != nil {
		log.Fatal(err)
	}
	points := src.(*data.Table)
	train, test, err := points.Split(0.2, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		log.Fatal(err)
	}
	z, scale := train.Standardize()
	fmt.Println(points.N, points.D, train.N, test.N, z.D, scale.Dim())
	// Output: 10 3 8 2 3 3
}

func ExampleLoadCSV() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(path, []byte("x,y,label\n1,2,a\n3,oops,b\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	_, err := data.LoadCSV(path, &data.Settings{Columns: "0:2"})
	fmt.Println(filepath.Base(err.Error()))
	// Output: points.csv:3:3: field 1 "oops" is not a number
}

func ExampleWriteNPY() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "samples.npy")
	x := []float64{1, 2, 3, 4, 5, 6}
	if err := data.WriteNPY(path, x, 3, 2); err != nil {
		log.Fatal(err)
	}
	t, err := data.LoadNPY(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.N, t.D, t.X)
	// Output: 3 2 [1 2 3 4 5 6]
}

func ExampleStandardizer() {
	t, _ := data.NewTable([]float64{1, 10, 3, 30}, 2, 2, "example")
	z, s := t.Standardize()
	fmt.Println(z.X)
	back := make([]float64, len(z.X))
	s.Invert(back, z.X, z.N)
	fmt.Println(back)
	// Output:
	// [-1 -1 1 1]
	// [1 10 3 30]
}

func ExampleParseColumns() {
	cols, _ := data.ParseColumns("0:3,-1", 10)
	fmt.Println(cols)
	// Output: [0 1 2 9]
}

func ExampleLoadNPZ() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	// An archive like numpy.savez("data.npz", train=..., test=...) writes.
	path := filepath.Join(dir, "data.npz")
	err := npz.Write(path, map[string]any{
		"train": mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6}),
		"test":  mat.NewDense(1, 2, []float64{7, 8}),
	})
	if err != nil {
		log.Fatal(err)
	}
	t, err := data.LoadNPZ(path, "test", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.N, t.D, t.X)
	// Output: 1 2 [7 8]
}

func ExampleTable_Sample() {
	t, _ := data.NewTable([]float64{0, 0, 1, 1, 2, 2}, 3, 2, "three points")
	rng := rand.New(rand.NewPCG(1, 2))
	// A minibatch of 4 rows drawn with replacement.
	batch := make([]float64, 4*t.Dim())
	t.Sample(batch, 4, rng)
	for i := 0; i < 4; i++ {
		fmt.Print(batch[2*i] == batch[2*i+1], " ")
	}
	fmt.Println()
	// Output: true true true true
}
