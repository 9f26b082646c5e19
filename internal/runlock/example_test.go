package runlock_test

import (
	"fmt"
	"os"

	"github.com/lagc-dev/lagc/internal/runlock"
)

func ExampleAcquire() {
	dir, _ := os.MkdirTemp("", "run")
	defer os.RemoveAll(dir)
	lock, err := runlock.Acquire(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lock.Release()
	_, err = runlock.Acquire(dir) // a second writer, as another process would be
	_, held := err.(*runlock.HeldError)
	fmt.Println("second writer refused:", held)
	// Output:
	// second writer refused: true
}
