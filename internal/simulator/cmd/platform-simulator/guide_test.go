package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// guideTemplate is the source of docs/guides/testing-modules.md, whose
// flag table module authors read instead of -help.
const guideTemplate = "../../../../templates/guides/testing-modules.md.tmpl"

// The guide's flag table names every flag the command has, and no other:
// a flag added here without a row (or a row left behind by a removed flag)
// fails until the guide says the same as the binary.
func TestGuideFlagTableMatchesFlags(t *testing.T) {
	text, err := os.ReadFile(guideTemplate)
	if err != nil {
		t.Fatal(err)
	}
	inTable, err := guideTableFlags(string(text))
	if err != nil {
		t.Fatal(err)
	}
	var defined []string
	newFlagSet(&config{}, &rawFlags{}, io.Discard).VisitAll(func(f *flag.Flag) { defined = append(defined, f.Name) })
	defined = append(defined, "help") // the flag package's own
	for _, name := range defined {
		if !slices.Contains(inTable, name) {
			t.Errorf("-%s is a flag of platform-simulator but has no row in the flag table of %s", name, guideTemplate)
		}
	}
	for _, name := range inTable {
		if !slices.Contains(defined, name) {
			t.Errorf("the flag table of %s names -%s, which platform-simulator does not have", guideTemplate, name)
		}
	}
}

var (
	unescapedPipe = regexp.MustCompile(`(^|[^\\])\|`)
	codeSpan      = regexp.MustCompile("`([^`]+)`")
)

// guideTableFlags returns the flags named in the first column of the
// markdown table headed "| flag | what |": every code span there that
// starts with "-", up to its first space (`-env NAME` is -env).
func guideTableFlags(text string) ([]string, error) {
	_, table, ok := strings.Cut(text, "\n| flag | what |\n")
	if !ok {
		return nil, errors.New("no table headed \"| flag | what |\"")
	}
	var names []string
	for _, line := range strings.Split(table, "\n")[1:] { // [0] is the |---| row
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := unescapedPipe.Split(line[1:], 2)
		for _, m := range codeSpan.FindAllStringSubmatch(cells[0], -1) {
			if strings.HasPrefix(m[1], "-") {
				names = append(names, strings.TrimPrefix(strings.Fields(m[1])[0], "-"))
			}
		}
	}
	if len(names) == 0 {
		return nil, errors.New("the flag table names no flag")
	}
	return names, nil
}

func TestGuideTableFlagsParses(t *testing.T) {
	got, err := guideTableFlags("x\n| flag | what |\n|---|---|\n| `-a`, `-b value` | x \\| y |\n| `-c latest\\|2` | `-not-this` |\n\nafter\n")
	if err != nil || strings.Join(got, ",") != "a,b,c" {
		t.Errorf("got %v, %v", got, err)
	}
}
