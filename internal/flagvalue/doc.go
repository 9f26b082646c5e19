// Package flagvalue holds the flag.Value types of lagc's command line:
// comma-separated lists of numbers, repeatable flags, NAME=VALUE
// parameters and integers that stay unset until given. Each parses the
// text of one flag and says what it wanted when the text is wrong; none
// knows which flag it is bound to.
package flagvalue
