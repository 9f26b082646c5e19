package progress

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Interval is the time between two lines on a writer that is not a
// terminal.
const Interval = 5 * time.Second

// Meter reports the steps of a loop from step from to step total.
type Meter struct {
	bar   *progressbar.ProgressBar
	w     io.Writer
	last  time.Time
	total int
	start time.Time
	from  int
	loss  float64
}

// New returns a meter writing to w (nowhere when w is nil) for a loop
// named name, now at step from of total.
func New(w io.Writer, name string, from, total int) *Meter {
	m := &Meter{total: total, start: time.Now(), last: time.Now(), from: from}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		m.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowIts(),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		_ = m.bar.Set(from)
		return m
	}
	m.w = w
	return m
}

// Update records that step is done with the given loss; its signature is
// that of run.TrainSettings.Progress.
func (m *Meter) Update(step int, loss float64) {
	if m.loss == 0 {
		m.loss = loss
	}
	m.loss = 0.98*m.loss + 0.02*loss
	switch {
	case m.bar != nil:
		m.bar.Describe(fmt.Sprintf("train loss %.4f", m.loss))
		_ = m.bar.Set(step)
	case m.w != nil && (time.Since(m.last) > Interval || step == m.total):
		m.last = time.Now()
		rate := float64(step-m.from) / time.Since(m.start).Seconds()
		fmt.Fprintf(m.w, "iter %d/%d  loss %.4f  %.0f it/s\n", step, m.total, m.loss, rate)
	}
}

// Finish ends the bar; lines need no ending.
func (m *Meter) Finish() {
	if m.bar != nil {
		_ = m.bar.Finish()
	}
}
