package run

import "strings"

// MethodList names the registered methods with what each trains, in order,
// for help texts: "fm (flow matching of a velocity MLP), am (…), …".
func MethodList() string {
	names := make([]string, len(registry))
	for i, m := range registry {
		names[i] = m.Name + " (" + m.About + ")"
	}
	return strings.Join(names, ", ")
}
