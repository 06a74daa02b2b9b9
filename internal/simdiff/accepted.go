package simdiff

import (
	"fmt"
	"path"
	"strings"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// acceptedHeading is the section of CONTRACT.md whose table lists every
// difference the differential accepts: the one list, read by this tool
// and by people. A release other than the newest may have a section of
// its own, the heading followed by " on v<release>", whose rows are added
// when the platform is that release.
const acceptedHeading = "### The differential's accepted differences"

// Accepted is one row of that table: a difference at Path (or below it)
// in the answers to the steps Step matches is expected, for Reason, when
// the two values' JSON types are as Types says (the same type on both
// sides when it is nil).
type Accepted struct {
	Step   string // a path.Match pattern over "scenario/step"
	Path   string // dot-separated; see segment for its notation
	Types  *typeClause
	Reason string
	// MayNotOccur marks a row whose difference depends on how long the
	// platform took (its clause "(may not occur)"): a run where the two
	// sides happened to agree does not make it stale.
	MayNotOccur bool
	// Section is the release whose own table holds the row; "" for the
	// table every run reads.
	Section string
	pattern []segment
	used    bool
}

// AcceptedDifferences reads the table from the contract, and that of the
// release when it has one ("" is the newest build).
func AcceptedDifferences(release string) ([]*Accepted, error) {
	return acceptedFor(api.ContractText, release)
}

func acceptedFor(doc, release string) ([]*Accepted, error) {
	rows, err := parseAccepted(doc, acceptedHeading)
	if err != nil || release == "" {
		return rows, err
	}
	heading := releaseHeading(release)
	if !strings.Contains(doc, "\n"+heading+"\n") {
		return rows, nil
	}
	more, err := parseAccepted(doc, heading)
	for _, a := range more {
		a.Section = release
	}
	return append(rows, more...), err
}

func releaseHeading(release string) string { return acceptedHeading + " on v" + release }

func parseAccepted(doc, heading string) ([]*Accepted, error) {
	_, rest, found := strings.Cut(doc, "\n"+heading+"\n")
	if !found {
		return nil, fmt.Errorf("CONTRACT.md has no section %q", heading)
	}
	var out []*Accepted
	inTable := false
	for _, line := range strings.Split(rest, "\n") {
		if strings.HasPrefix(line, "#") {
			break
		}
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 3 {
			return nil, fmt.Errorf("accepted differences: a row needs step, path and reason: %s", line)
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		cells[0] = strings.Trim(cells[0], "`")
		if cells[0] == "step" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		row, err := newAccepted(cells[0], cells[1], cells[2])
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("CONTRACT.md's %q has no rows", heading)
	}
	return out, nil
}

// newAccepted reads one row from its three cells.
func newAccepted(step, pathCell, reason string) (*Accepted, error) {
	pathText, clause := splitPathCell(pathCell)
	clause, mayNotOccur := strings.CutSuffix(clause, mayNotOccurClause)
	types, err := parseTypeClause(strings.TrimSpace(clause))
	if err != nil {
		return nil, fmt.Errorf("accepted differences: %s %s: %w", step, pathCell, err)
	}
	pattern, err := parsePattern(pathText)
	if err != nil {
		return nil, fmt.Errorf("accepted differences: %s: %w", step, err)
	}
	return &Accepted{Step: step, Path: pathText, Types: types, Reason: reason, MayNotOccur: mayNotOccur,
		pattern: pattern}, nil
}

// mayNotOccurClause ends the path cell of a row whose difference comes
// and goes with the platform's timing.
const mayNotOccurClause = "(may not occur)"

// splitPathCell parts "`body.x` (platform null, simulator string)" into
// the path and its type clause.
func splitPathCell(cell string) (pathText, clause string) {
	if rest, ok := strings.CutPrefix(cell, "`"); ok {
		if end := strings.IndexByte(rest, '`'); end >= 0 {
			return rest[:end], strings.TrimSpace(rest[end+1:])
		}
	}
	return cell, ""
}

// String names the row as CONTRACT.md writes it.
func (a *Accepted) String() string {
	s := a.Step + " " + a.Path + a.Types.String()
	if a.MayNotOccur {
		s += " " + mayNotOccurClause
	}
	if a.Section != "" {
		s += " (v" + a.Section + "'s table)"
	}
	return s
}

// covers reports whether the row accepts the difference d, whose values
// at a leading part of its path at gives.
func (a *Accepted) covers(step string, d Difference, at values) bool {
	return a.region(step, d.Path, at) && a.Types.allows(d.Platform, d.Simulator)
}

// region reports whether diffPath of step is at or below the row's path;
// with a nil at, whatever its conditions say.
func (a *Accepted) region(step, diffPath string, at values) bool {
	if ok, _ := path.Match(a.Step, step); !ok {
		return false
	}
	return prefixMatch(a.pattern, strings.Split(diffPath, "."), 0, at)
}
