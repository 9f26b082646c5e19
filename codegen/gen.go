package codegen

import (
	"errors"
	"fmt"
	"go/format"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/lagc-dev/lagc/autodiff"
	"github.com/lagc-dev/lagc/eulerlag"
	"github.com/lagc-dev/lagc/runtime/closedform"
)

// Settings tune Generate. A nil *Settings means the defaults listed with
// each field.
type Settings struct {
	// Package is the package clause. Default "main".
	Package string
	// Type is the name of the generated type, made a valid exported Go
	// identifier. Default: from Source, "harmonic.lag" → "Harmonic".
	Type string
	// Source names the .lag file in the header and comments. Default
	// "input.lag".
	Source string
}

// Generate returns the Go source of a type implementing sys. The source is
// gofmt'd; if formatting fails (a bug), Generate returns the unformatted
// source together with the error, so that it can be inspected.
func Generate(sys *eulerlag.System, s *Settings) ([]byte, error) {
	if sys == nil {
		return nil, errors.New("codegen: nil System")
	}
	var set Settings
	if s != nil {
		set = *s
	}
	if set.Source == "" {
		set.Source = "input.lag"
	}
	if set.Package == "" {
		set.Package = "main"
	}
	if !isIdent(set.Package) || set.Package == "_" {
		return nil, fmt.Errorf("codegen: package name %q is not a Go identifier; use letters, digits and underscores, not starting with a digit", set.Package)
	}
	if set.Type == "" {
		set.Type = TypeName(set.Source)
	} else {
		set.Type = exported(set.Type, "L")
	}
	t := newTypeGen(sys, set)
	src, err := t.file()
	if err != nil {
		return nil, err
	}
	out, err := format.Source(src)
	if err != nil {
		return src, fmt.Errorf("codegen: formatting the generated code failed (a lagc bug; the unformatted code is written for inspection): %v", err)
	}
	return out, nil
}

// TypeName returns the default type name for a .lag file: its base name
// without extension as an exported Go identifier ("harmonic.lag" →
// "Harmonic", "my-potential.lag" → "MyPotential", "2d.lag" → "L2d").
func TypeName(filename string) string {
	base := filepath.Base(filepath.ToSlash(filename))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return exported(base, "L")
}

// exported turns s into an exported Go identifier: runs of characters that
// cannot appear in identifiers (and underscores) separate words, each
// capitalised; a result that cannot start an exported name gets prefix.
func exported(s, prefix string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '_' || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" {
		return prefix
	}
	if first := []rune(out)[0]; !unicode.IsUpper(first) {
		out = prefix + out
	}
	return out
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// methodNames are the exported names the generated type already uses.
var methodNames = []string{"L", "Accel", "AccelErr", "AccelJac", "Path", "Action", "Dim", "Clone"}

// typeGen generates one type.
type typeGen struct {
	sys       *eulerlag.System
	set       Settings
	name      string // the exported type
	lower     string // its name with a lower-case first letter, for helpers
	fields    map[string]string
	order     []string // parameter names in file order
	basis     map[int]bool
	lits      map[*autodiff.Node]int // vector literal → its length
	needSign  bool
	class     eulerlag.Class
	isotropic bool
}

func newTypeGen(sys *eulerlag.System, set Settings) *typeGen {
	t := &typeGen{sys: sys, set: set, name: set.Type, fields: map[string]string{},
		basis: map[int]bool{}, lits: map[*autodiff.Node]int{}}
	r := []rune(t.name)
	t.lower = string(unicode.ToLower(r[0])) + string(r[1:])
	if t.lower == t.name { // a first letter without case: prefix added by exported
		t.lower = "l" + t.name
	}
	taken := map[string]bool{}
	for _, m := range methodNames {
		taken[m] = true
	}
	for _, p := range sys.Params {
		f := exported(p.Name, "P")
		if taken[f] {
			f += "Param"
		}
		base := f
		for k := 2; taken[f]; k++ {
			f = base + strconv.Itoa(k)
		}
		taken[f] = true
		t.fields[p.Name] = f
		t.order = append(t.order, p.Name)
	}
	return t
}

func (t *typeGen) field(param string) string {
	f, ok := t.fields[param]
	if !ok {
		panic("codegen: unknown input " + param)
	}
	return "s." + f
}

func (t *typeGen) basisBuffer(k int) string {
	t.basis[k] = true
	return "s.e" + strconv.Itoa(k)
}

func (t *typeGen) litBuffer(n *autodiff.Node) string {
	t.lits[n] = len(n.Args())
	return "s.lit" + strconv.Itoa(n.ID())
}

// closed reports whether Path and Action are closed forms.
func (t *typeGen) closed() bool { return t.class.Closed }

func (t *typeGen) file() ([]byte, error) {
	sys := t.sys
	t.class = sys.Classify()
	t.isotropic = t.class.Isotropic
	var m strings.Builder // methods, generated first: they discover the buffers
	t.methods(&m)

	var b strings.Builder
	src := filepath.ToSlash(t.set.Source)
	fmt.Fprintf(&b, "// Code generated by lagc from %s; DO NOT EDIT.\n\n", src)
	fmt.Fprintf(&b, "package %s\n\n", t.set.Package)
	b.WriteString("import (\n\"fmt\"\n\"math\"\n")
	if !t.closed() {
		b.WriteString("\"slices\"\n")
	}
	b.WriteString("\n")
	if sys.A == nil {
		b.WriteString("\"github.com/lagc-dev/lagc/runtime/dense\"\n")
	}
	b.WriteString("\"github.com/lagc-dev/lagc/runtime/lagrangian\"\n")
	if t.closed() {
		b.WriteString("\"github.com/lagc-dev/lagc/runtime/closedform\"\n")
	} else {
		b.WriteString("\"github.com/lagc-dev/lagc/runtime/bvp\"\n")
	}
	b.WriteString(")\n\n")
	t.typeDecl(&b)
	t.constructor(&b)
	b.WriteString(m.String())
	return []byte(b.String()), nil
}

func (t *typeGen) dimText() string {
	switch {
	case t.sys.Dim > 0:
		return fmt.Sprintf("dimension %d", t.sys.Dim)
	case t.sys.MinDim > 1:
		return fmt.Sprintf("any dimension ≥ %d", t.sys.MinDim)
	}
	return "any dimension"
}

func (t *typeGen) typeDecl(b *strings.Builder) {
	n := t.name
	fmt.Fprintf(b, "// %s is the Lagrangian of %s (%s), compiled by lagc:\n//\n", n, filepath.ToSlash(t.set.Source), t.dimText())
	fmt.Fprintf(b, "//\tL = %s\n//\n", t.sys.L)
	fmt.Fprintf(b, "// Class: %s.\n//\n", t.class)
	if t.closed() {
		b.WriteString("// Path and Action are closed forms, recomputed when a parameter changes.\n")
	} else {
		b.WriteString("// Path and Action solve the two-point boundary-value problem with runtime/bvp,\n// caching the last solution.\n")
	}
	b.WriteString("// A value is not safe for concurrent use; Clone it per goroutine.\n")
	fmt.Fprintf(b, "type %s struct {\n", n)
	for _, p := range t.sys.Params {
		fmt.Fprintf(b, "// %s is the parameter %s (default %s).\n%s float64\n", t.fields[p.Name], p.Name, formatFloat(p.Value), t.fields[p.Name])
	}
	b.WriteString("\nd int\n")
	for _, k := range t.basisKeys() {
		fmt.Fprintf(b, "e%d []float64 // the unit vector e_%d\n", k, k)
	}
	for _, l := range t.litKeys() {
		fmt.Fprintf(b, "lit%d []float64\n", l.ID())
	}
	if t.sys.A != nil {
		b.WriteString("jd, jx, jv []float64 // AccelJac work buffers\n")
	} else {
		b.WriteString("r, col, mass, unit []float64 // work buffers of the mass-matrix solve\nchol dense.Cholesky // of mass\n")
	}
	np := len(t.sys.Params)
	if t.closed() {
		fmt.Fprintf(b, "cf *closedform.Solution\ncfErr error\ncfReady bool\ncfFor [%d]float64 // the parameters cf was built for\n", np)
		b.WriteString("cfC, zero []float64 // the constant force c = Accel(0, 0)\n")
	} else {
		fmt.Fprintf(b, "solver *bvp.Solver\npath bvp.Path\nsolved bool\nsolvedFor [%d]float64\nsolveErr error\nx0, x1 []float64\n", np)
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "var (\n_ lagrangian.System = (*%s)(nil)\n_ lagrangian.ClosedForm = (*%s)(nil)\n_ lagrangian.AccelErrer = (*%s)(nil)\n", n, n, n)
	if t.sys.A != nil {
		fmt.Fprintf(b, "_ lagrangian.Jacobian = (*%s)(nil)\n", n)
	}
	b.WriteString(")\n\n")
}

func (t *typeGen) basisKeys() []int {
	var ks []int
	for k := range t.basis {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}

func (t *typeGen) litKeys() []*autodiff.Node {
	var ls []*autodiff.Node
	for l := range t.lits {
		ls = append(ls, l)
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].ID() < ls[j].ID() })
	return ls
}

func formatFloat(c float64) string { return strconv.FormatFloat(c, 'g', -1, 64) }

func (t *typeGen) constructor(b *strings.Builder) {
	n, sys := t.name, t.sys
	src := filepath.ToSlash(t.set.Source)
	if sys.Dim > 0 {
		fmt.Fprintf(b, "// New%s returns the Lagrangian of %s with its parameters' default values.\n", n, src)
		fmt.Fprintf(b, "func New%s() *%s { return new%s(%d) }\n\n", n, n, t.upperLowerNew(), sys.Dim)
	} else {
		fmt.Fprintf(b, "// New%s returns the Lagrangian of %s at dimension d with its parameters' default values.\n", n, src)
		fmt.Fprintf(b, "func New%s(d int) (*%s, error) {\n", n, n)
		fmt.Fprintf(b, "if d < %d {\nreturn nil, fmt.Errorf(\"%s: dimension %%d; it must be at least %d\", d)\n}\n", max(sys.MinDim, 1), src, max(sys.MinDim, 1))
		fmt.Fprintf(b, "return new%s(d), nil\n}\n\n", t.upperLowerNew())
	}
	fmt.Fprintf(b, "func new%s(d int) *%s {\ns := &%s{d: d", t.upperLowerNew(), n, n)
	for _, p := range sys.Params {
		fmt.Fprintf(b, ", %s: %s", t.fields[p.Name], formatFloat(p.Value))
	}
	b.WriteString("}\n")
	for _, k := range t.basisKeys() {
		fmt.Fprintf(b, "s.e%d = make([]float64, d)\ns.e%d[%d] = 1\n", k, k, k)
	}
	for _, l := range t.litKeys() {
		if !constLit(l) {
			fmt.Fprintf(b, "s.lit%d = make([]float64, %d)\n", l.ID(), t.lits[l])
			continue
		}
		var el []string
		for _, a := range l.Args() {
			el = append(el, constant(a.Value()).s)
		}
		fmt.Fprintf(b, "s.lit%d = []float64{%s}\n", l.ID(), strings.Join(el, ", "))
	}
	if sys.A != nil {
		b.WriteString("s.jd, s.jx, s.jv = make([]float64, d), make([]float64, d), make([]float64, d)\n")
	} else {
		b.WriteString("s.r, s.col, s.mass, s.unit = make([]float64, d), make([]float64, d), make([]float64, d*d), make([]float64, d)\n")
	}
	if t.closed() {
		b.WriteString("s.cfC, s.zero = make([]float64, d), make([]float64, d)\n")
	}
	b.WriteString("return s\n}\n\n")
}

// upperLowerNew is the suffix of the unexported constructor, new<Type>.
func (t *typeGen) upperLowerNew() string { return t.name }

func (t *typeGen) params() string {
	var ps []string
	for _, p := range t.sys.Params {
		ps = append(ps, "s."+t.fields[p.Name])
	}
	return fmt.Sprintf("[%d]float64{%s}", len(ps), strings.Join(ps, ", "))
}

// writeFunc writes a function whose header (ending in "{\n") declares the
// slice parameters slices (x first), then the bounds-check reslices of the
// slices its body reads — x to s.d, the others to len(x) — then the body
// that emit writes. A reslice of an unread slice would be dead code.
func writeFunc(b *strings.Builder, header string, slices []string, emit func(body *strings.Builder)) {
	var body strings.Builder
	emit(&body)
	used := func(name string) bool {
		return regexp.MustCompile(`\b` + name + `\b`).MatchString(body.String())
	}
	var lines []string
	for _, name := range slices[1:] {
		if used(name) {
			lines = append(lines, fmt.Sprintf("%s = %s[:len(x)]\n", name, name))
		}
	}
	b.WriteString(header)
	if len(lines) > 0 || used("x") {
		b.WriteString("x = x[:s.d]\n")
	}
	for _, l := range lines {
		b.WriteString(l)
	}
	b.WriteString(body.String())
	b.WriteString("}\n\n")
}

func (t *typeGen) methods(b *strings.Builder) {
	n, sys := t.name, t.sys
	src := filepath.ToSlash(t.set.Source)
	fmt.Fprintf(b, "// Dim is the dimension d of x and v.\nfunc (s *%s) Dim() int { return s.d }\n\n", n)
	fmt.Fprintf(b, "// Clone returns an independent copy with its own work buffers.\nfunc (s *%s) Clone() lagrangian.System {\nc := new%s(s.d)\n", n, t.upperLowerNew())
	for _, p := range sys.Params {
		fmt.Fprintf(b, "c.%s = s.%s\n", t.fields[p.Name], t.fields[p.Name])
	}
	b.WriteString("return c\n}\n\n")

	// L.
	writeFunc(b, fmt.Sprintf("// L evaluates the Lagrangian.\nfunc (s *%s) L(t float64, x, v []float64) float64 {\n", n), []string{"x", "v"}, func(body *strings.Builder) {
		newFuncGen(t, body, map[string]string{"x": "x", "v": "v"}).emit([]output{{node: sys.L, dst: "return %s"}})
	})

	nanFill := "for i := range dst {\ndst[i] = math.NaN()\n}\nreturn\n"
	if sys.A != nil {
		outs := []output{{node: sys.A, dst: "dst"}}
		if !sys.Mass.IsConst(1) {
			outs = append([]output{{node: sys.Mass, dst: "if !(%s > 0) {\n" + nanFill + "}"}}, outs...)
		}
		writeFunc(b, fmt.Sprintf("// Accel writes the Euler–Lagrange acceleration into dst; NaN where the\n// mass m = ∂²L/∂v² (a multiple of I) is not positive.\nfunc (s *%s) Accel(dst []float64, t float64, x, v []float64) {\n", n), []string{"x", "v", "dst"}, func(body *strings.Builder) {
			newFuncGen(t, body, map[string]string{"x": "x", "v": "v"}).emit(outs)
		})

		g := sys.G
		dx, dv := g.VecVar("dx"), g.VecVar("dv")
		jx := g.JVP(sys.A, map[*autodiff.Node]*autodiff.Node{sys.X: dx})
		jv := g.JVP(sys.A, map[*autodiff.Node]*autodiff.Node{sys.V: dv})
		writeFunc(b, fmt.Sprintf("// accelJVP writes the derivatives of the acceleration along dx (in x) and dv (in v).\nfunc (s *%s) accelJVP(ax, av []float64, t float64, x, v, dx, dv []float64) {\n", n), []string{"x", "v", "ax", "av", "dx", "dv"}, func(body *strings.Builder) {
			newFuncGen(t, body, map[string]string{"x": "x", "v": "v", "dx": "dx", "dv": "dv"}).emit([]output{{node: jx, dst: "ax"}, {node: jv, dst: "av"}})
		})
		fmt.Fprintf(b, `// AccelJac writes the acceleration into a and its Jacobians with respect
// to x and v into ax and av (row-major d×d), from symbolic derivatives.
func (s *%s) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	d := s.d
	s.Accel(a, t, x, v)
	for j := 0; j < d; j++ {
		s.jd[j] = 1
		s.accelJVP(s.jx, s.jv, t, x, v, s.jd, s.jd)
		s.jd[j] = 0
		for i := 0; i < d; i++ {
			ax[i*d+j], av[i*d+j] = s.jx[i], s.jv[i]
		}
	}
}

`, n)
	} else {
		t.generalMass(b)
	}
	fmt.Fprintf(b, `// AccelErr is Accel with an error naming the cause of a non-finite acceleration.
func (s *%s) AccelErr(dst []float64, t float64, x, v []float64) error {
	s.Accel(dst, t, x, v)
	for _, a := range dst[:s.d] {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return fmt.Errorf("%s: the acceleration is not finite at t=%%g, x=%%v, v=%%v (∂²L/∂v² is singular or not positive definite there, or L overflows)", t, x, v)
		}
	}
	return nil
}

`, n, src)
	if t.closed() {
		t.closedMethods(b)
	} else {
		t.numericMethods(b)
	}
	if t.needSign {
		fmt.Fprintf(b, "func (*%s) sign(x float64) float64 {\nswitch {\ncase x > 0:\nreturn 1\ncase x < 0:\nreturn -1\n}\nreturn 0\n}\n\n", n)
	}
}

// generalMass writes Accel for a mass matrix that is not a multiple of the
// identity: M is assembled from the products M·e_j and factorised by
// runtime/dense's Cholesky at each point.
func (t *typeGen) generalMass(b *strings.Builder) {
	n, sys := t.name, t.sys
	writeFunc(b, fmt.Sprintf("// rhs writes R = ∂L/∂x − (∂p/∂x)·v − ∂p/∂t.\nfunc (s *%s) rhs(dst []float64, t float64, x, v []float64) {\n", n), []string{"x", "v", "dst"}, func(body *strings.Builder) {
		newFuncGen(t, body, map[string]string{"x": "x", "v": "v"}).emit([]output{{node: sys.R, dst: "dst"}})
	})
	writeFunc(b, fmt.Sprintf("// massTimes writes M·w, M = ∂²L/∂v².\nfunc (s *%s) massTimes(dst []float64, t float64, x, v, w []float64) {\n", n), []string{"x", "v", "w", "dst"}, func(body *strings.Builder) {
		newFuncGen(t, body, map[string]string{"x": "x", "v": "v", "w": "w"}).emit([]output{{node: sys.MW, dst: "dst"}})
	})
	fmt.Fprintf(b, `// Accel writes the Euler–Lagrange acceleration, the solution of M a = R,
// into dst; NaN where M is singular or not positive definite.
func (s *%[1]s) Accel(dst []float64, t float64, x, v []float64) {
	d := s.d
	s.rhs(s.r, t, x, v)
	for j := 0; j < d; j++ {
		s.unit[j] = 1
		s.massTimes(s.col, t, x, v, s.unit)
		s.unit[j] = 0
		for i := 0; i < d; i++ {
			s.mass[i*d+j] = s.col[i]
		}
	}
	// Pivots below 1e-13 of the largest diagonal entry are singular to
	// working precision.
	if !s.chol.Factorize(s.mass, d, 1e-13) {
		for i := range dst[:d] {
			dst[i] = math.NaN()
		}
		return
	}
	s.chol.Solve(dst[:d], s.r)
}

`, n)
}

func (t *typeGen) closedMethods(b *strings.Builder) {
	n := t.name
	fmt.Fprintf(b, `// closedForm returns the closed form for the current parameters, reading
// the coefficients of a = A x + B v + c off Accel when they have changed.
func (s *%[1]s) closedForm() (*closedform.Solution, error) {
	if p := %[2]s; !s.cfReady || p != s.cfFor {
		s.cf, s.cfErr = closedform.New(s.d, s.Accel, s.L, %[3]v)
		s.cfReady, s.cfFor = true, p
		s.Accel(s.cfC, 0, s.zero, s.zero)
	}
	return s.cf, s.cfErr
}

// Action returns the least action ∫₀¹ L dt from x0 to x1, the transport
// cost; an error when the stationary path is not a least-action path.
func (s *%[1]s) Action(x0, x1 []float64) (float64, error) {
	cf, err := s.closedForm()
	if err != nil {
		return 0, err
	}
	return cf.Action(x0, x1)
}

`, n, t.params(), t.isotropic)
	fmt.Fprintf(b, `// Path writes the position xt and velocity vt (vt may be nil) at time t of
// the least-action path with x(0) = x0 and x(1) = x1.
func (s *%[1]s) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	cf, err := s.closedForm()
	if err != nil {
		return err
	}
	d := s.d
	if cf.Err() != nil || len(x0) != d || len(x1) != d || len(xt) < d || (vt != nil && len(vt) < d) {
		return cf.Path(xt, vt, t, x0, x1)
	}
	x1, xt = x1[:len(x0)], xt[:len(x0)]
`, n)
	// The kind found at generation time is written out; parameters that
	// change the kind fall back to the general closed form. A result that is
	// not finite falls back too, so that closedform names the cause.
	checked := `	for i := range x0 {
		// x−x is 0 for every finite x, NaN for ±Inf and NaN.
		if xt[i]-xt[i] != 0 || vt != nil && vt[i]-vt[i] != 0 {
			return cf.Path(xt, vt, t, x0, x1)
		}
	}
	return nil
}
`
	switch t.class.Kind {
	case closedform.Straight:
		b.WriteString(`if cf.Kind() == closedform.Straight {
	for i := range x0 {
		xt[i] = x0[i] + t*(x1[i]-x0[i])
	}
	if vt != nil {
		vt = vt[:len(x0)]
		for i := range x0 {
			vt[i] = x1[i] - x0[i]
		}
	}
` + checked)
	case closedform.Harmonic:
		b.WriteString(`if cf.Kind() == closedform.Harmonic {
	w := cf.Omega()
	sw := math.Sin(w)
	p, q := math.Sin(w*(1-t))/sw, math.Sin(w*t)/sw
	for i := range x0 {
		xt[i] = p*x0[i] + q*x1[i]
	}
	if vt != nil {
		vt = vt[:len(x0)]
		dp, dq := -w*math.Cos(w*(1-t))/sw, w*math.Cos(w*t)/sw
		for i := range x0 {
			vt[i] = dp*x0[i] + dq*x1[i]
		}
	}
` + checked)
	case closedform.Inverted:
		// sinh(ωa)/sinh(ω) = e^{−ω(1−a)}·expm1(−2ωa)/expm1(−2ω), and the same
		// for cosh with 1 + e^{−2ωa}: finite for every ω, where sinh and cosh
		// overflow beyond 710.
		b.WriteString(`if cf.Kind() == closedform.Inverted {
	w := cf.Omega()
	em1 := math.Expm1(-2 * w)
	ea, eb := math.Exp(-w*t), math.Exp(-w*(1-t))
	p, q := ea*math.Expm1(-2*w*(1-t))/em1, eb*math.Expm1(-2*w*t)/em1
	for i := range x0 {
		xt[i] = p*x0[i] + q*x1[i]
	}
	if vt != nil {
		vt = vt[:len(x0)]
		dp, dq := w*ea*(1+math.Exp(-2*w*(1-t)))/em1, -w*eb*(1+math.Exp(-2*w*t))/em1
		for i := range x0 {
			vt[i] = dp*x0[i] + dq*x1[i]
		}
	}
` + checked)
	case closedform.ConstantForce:
		b.WriteString(`if cf.Kind() == closedform.ConstantForce {
	c := s.cfC[:len(x0)]
	r := -t * (1 - t) / 2
	for i := range x0 {
		xt[i] = x0[i] + t*(x1[i]-x0[i]) + r*c[i]
	}
	if vt != nil {
		vt = vt[:len(x0)]
		for i := range x0 {
			vt[i] = x1[i] - x0[i] + (t-0.5)*c[i]
		}
	}
` + checked)
	}
	b.WriteString("return cf.Path(xt, vt, t, x0, x1)\n}\n\n")
}

func (t *typeGen) numericMethods(b *strings.Builder) {
	n, lower := t.name, t.lower
	fmt.Fprintf(b, `// solve solves the boundary-value problem from x0 to x1 unless it is the
// one solved last with the same parameters.
func (s *%[1]s) solve(x0, x1 []float64) error {
	if len(x0) != s.d || len(x1) != s.d {
		return fmt.Errorf("%[3]s: x0 and x1 have %%d and %%d components, want %%d", len(x0), len(x1), s.d)
	}
	p := %[4]s
	if s.solved && p == s.solvedFor && slices.Equal(x0, s.x0) && slices.Equal(x1, s.x1) {
		return s.solveErr
	}
	if s.solver == nil {
		sv, err := bvp.NewSolver(%[2]sEquations{s}, nil)
		if err != nil {
			return err
		}
		s.solver = sv
	}
	s.x0, s.x1 = append(s.x0[:0], x0...), append(s.x1[:0], x1...)
	s.solved, s.solvedFor = true, p
	s.solveErr = s.solver.Solve(&s.path, x0, x1)
	return s.solveErr
}

// Path writes the position xt and velocity vt (vt may be nil) at time t of
// the least-action path with x(0) = x0 and x(1) = x1, solved numerically.
func (s *%[1]s) Path(xt, vt []float64, t float64, x0, x1 []float64) error {
	if err := s.solve(x0, x1); err != nil {
		return err
	}
	return s.path.At(xt, vt, t)
}

// Action returns the least action ∫₀¹ L dt from x0 to x1, the transport
// cost, solved numerically.
func (s *%[1]s) Action(x0, x1 []float64) (float64, error) {
	if err := s.solve(x0, x1); err != nil {
		return 0, err
	}
	return s.path.Action, nil
}

// %[2]sEquations shows the solver the equations of %[1]s without its Path
// and Action, which it would otherwise take for a closed form.
type %[2]sEquations struct{ s *%[1]s }

func (e %[2]sEquations) Dim() int                                 { return e.s.d }
func (e %[2]sEquations) L(t float64, x, v []float64) float64       { return e.s.L(t, x, v) }
func (e %[2]sEquations) Accel(dst []float64, t float64, x, v []float64) { e.s.Accel(dst, t, x, v) }
func (e %[2]sEquations) AccelErr(dst []float64, t float64, x, v []float64) error {
	return e.s.AccelErr(dst, t, x, v)
}
func (e %[2]sEquations) Clone() lagrangian.System { return %[2]sEquations{e.s.Clone().(*%[1]s)} }
`, n, lower, filepath.ToSlash(t.set.Source), t.params())
	if t.sys.A != nil {
		fmt.Fprintf(b, `func (e %[2]sEquations) AccelJac(a, ax, av []float64, t float64, x, v []float64) {
	e.s.AccelJac(a, ax, av, t, x, v)
}
`, n, lower)
	}
	b.WriteString("\n")
}
