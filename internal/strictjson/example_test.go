package strictjson_test

import (
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/lagc-dev/lagc/internal/strictjson"
)

func ExampleEncode() {
	type metrics struct {
		W2  float64 `json:"w2"`
		NFE int     `json:"nfe"`
	}
	strictjson.Encode(os.Stdout, metrics{W2: 0.25, NFE: 80})
	err := strictjson.Encode(os.Stdout, map[string]any{"eval": metrics{W2: math.NaN()}})
	fmt.Println(err)
	// Output:
	// {"w2":0.25,"nfe":80}
	// eval.w2 is NaN, which JSON cannot carry
}

func ExampleDecode() {
	type point struct {
		T *float64  `json:"t" strictjson:"required"`
		X []float64 `json:"x" strictjson:"required"`
	}
	var pts []point
	fmt.Println(strictjson.Decode(strings.NewReader(`[{"t":0.5,"x":[1,2]}]`), &pts), *pts[0].T)
	fmt.Println(strictjson.Decode(strings.NewReader(`[{"x":[1,2]}]`), &pts))
	fmt.Println(strictjson.Decode(strings.NewReader(`[] []`), &pts))
	// Output:
	// <nil> 0.5
	// at [0]: missing required key "t"
	// byte 3: unexpected '[' after the JSON value; want exactly one value
}
