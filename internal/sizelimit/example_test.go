package sizelimit_test

import (
	"fmt"

	"github.com/lagc-dev/lagc/internal/sizelimit"
)

func ExampleExactOT() {
	fmt.Println(sizelimit.ExactOT("evaluation samples", 2048, 2048, "evaluate fewer samples"))
	fmt.Println(sizelimit.ExactOT("evaluation samples", 100000, 100000, "evaluate fewer samples"))
	// Output:
	// <nil>
	// 100000 evaluation samples would need 150 GB of memory; the limit is 16384: evaluate fewer samples
}
