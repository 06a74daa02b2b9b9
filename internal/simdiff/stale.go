package simdiff

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// scenarioPart is the scenario half of a row's step pattern.
func (a *Accepted) scenarioPart() string {
	s, _, _ := strings.Cut(a.Step, "/")
	return s
}

// scenariosOf lists the known scenarios a row's step pattern can match.
func (a *Accepted) scenariosOf() []string {
	var out []string
	for _, sc := range allScenarios() {
		if ok, _ := path.Match(a.scenarioPart(), sc.name); ok {
			out = append(out, sc.name)
		}
	}
	return out
}

// checkRowsNameScenarios refuses a row that can match no scenario: it
// would accept nothing, ever, and no run could tell it is stale.
func checkRowsNameScenarios(accepted []*Accepted) error {
	for _, a := range accepted {
		if len(a.scenariosOf()) == 0 {
			return fmt.Errorf("accepted difference %s: its step pattern matches no scenario", a)
		}
	}
	return nil
}

// Stale lists the rows that did not occur although the run should have
// shown them: a row that no longer describes a real difference hides the
// next one at its path, so it must go (as the replay test's knownDrifts
// do). A row is due once every scenario it can match ran, or once every
// default scenario ran and at least one it matches did (so a -only run
// checks the rows of its own scenarios, and a full run every row but
// those of a scenario run only on request). The rows of a release's own
// table are read only for that release, so they count only there. A
// row marked "(may not occur)" is never due: its difference depends on
// the platform's timing, which a run does not choose.
func Stale(accepted []*Accepted, ran []string) []*Accepted {
	allDefaults := true
	for _, sc := range scenarios {
		allDefaults = allDefaults && slices.Contains(ran, sc.name)
	}
	var out []*Accepted
	for _, a := range accepted {
		if a.used || a.MayNotOccur {
			continue
		}
		matched, some, every := a.scenariosOf(), false, true
		for _, name := range matched {
			if slices.Contains(ran, name) {
				some = true
			} else {
				every = false
			}
		}
		if some && (every || allDefaults) {
			out = append(out, a)
		}
	}
	return out
}
