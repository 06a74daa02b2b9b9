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
// in the answers to the steps Step matches is expected, for Reason.
type Accepted struct {
	Step   string // a path.Match pattern over "scenario/step"
	Path   string // dot-separated; "*" matches one key or index, "**" any run of them
	Reason string
	used   bool
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
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		if cells[0] == "step" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		if _, err := path.Match(cells[0], ""); err != nil {
			return nil, fmt.Errorf("accepted differences: step pattern %q: %w", cells[0], err)
		}
		if strings.Count(cells[0], "/") != 1 {
			// A "*" alone matches no step: path.Match's * stops at a /.
			return nil, fmt.Errorf("accepted differences: step pattern %q: want scenario/step, as */get", cells[0])
		}
		if cells[2] == "" {
			return nil, fmt.Errorf("accepted differences: %s %s has no reason", cells[0], cells[1])
		}
		out = append(out, &Accepted{Step: cells[0], Path: cells[1], Reason: cells[2]})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("CONTRACT.md's %q has no rows", heading)
	}
	return out, nil
}

// covers reports whether the row accepts a difference at diffPath in step.
func (a *Accepted) covers(step, diffPath string) bool {
	if ok, _ := path.Match(a.Step, step); !ok {
		return false
	}
	return prefixMatch(strings.Split(a.Path, "."), strings.Split(diffPath, "."))
}

// prefixMatch: "*" is one segment, "**" any number of them (none
// included); the pattern must match a leading part of the path.
func prefixMatch(pattern, segs []string) bool {
	if len(pattern) == 0 {
		return true
	}
	if pattern[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if prefixMatch(pattern[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 || (pattern[0] != "*" && pattern[0] != segs[0]) {
		return false
	}
	return prefixMatch(pattern[1:], segs[1:])
}
