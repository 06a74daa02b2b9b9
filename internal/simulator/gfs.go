package simulator

import (
	"fmt"
	"time"
)

// rotation is what a retention policy does to a database's backups: the
// candidates it keeps (newest first) and the ones it prunes.
type rotation struct {
	keep                 []*Backup
	prune                []*Backup
	bytesFreed           int64
	cappedButUnreachable bool
}

// bucketKey maps a backup time to its GFS bucket; all in UTC, the
// platform's time zone.
type bucketKey func(time.Time) string

func dayKey(t time.Time) string   { return t.UTC().Format("2006-01-02") }
func monthKey(t time.Time) string { return t.UTC().Format("2006-01") }
func yearKey(t time.Time) string  { return t.UTC().Format("2006") }

// weekKey is the ISO week (weeks start on Monday; the first week of a year
// is the one with its first Thursday), so 2025-12-29 is in 2026-W01.
func weekKey(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// selectRotation applies a GFS policy to backups (newest first):
//
//   - candidates are completed, scheduled, unpinned backups; failed and
//     in-progress ones are neither pruned nor counted;
//   - completed manual or pinned backups are never pruned but count toward
//     minFloor and maxTotalBytes;
//   - the tiers are a union: keepLast keeps the newest n candidates; daily,
//     weekly, monthly and yearly each keep the newest candidate of the n most
//     recent days/ISO weeks/months/years that have one;
//   - then the floor: while fewer than minFloor backups are kept, the newest
//     pruned candidate is kept too;
//   - then the cap: while the kept backups total more than maxTotalBytes,
//     the oldest kept candidate goes, but never below minFloor (the contract
//     does not say which of the two wins; the simulator lets the floor win).
//     When the cap still cannot be met, cappedButUnreachable is true.
func selectRotation(p RetentionPolicy, backups []*Backup) rotation {
	var candidates, protected []*Backup
	for _, b := range backups {
		switch {
		case b.Status != BackupCompleted:
		case b.Type == BackupScheduled && !b.IsPinned:
			candidates = append(candidates, b)
		default:
			protected = append(protected, b)
		}
	}
	kept := make([]bool, len(candidates))
	for i := 0; i < p.KeepLast && i < len(candidates); i++ {
		kept[i] = true
	}
	keepBuckets(candidates, kept, p.Daily, dayKey)
	keepBuckets(candidates, kept, p.Weekly, weekKey)
	keepBuckets(candidates, kept, p.Monthly, monthKey)
	keepBuckets(candidates, kept, p.Yearly, yearKey)

	count := len(protected) + countTrue(kept)
	for i := range candidates {
		if count >= p.MinFloor {
			break
		}
		if !kept[i] {
			kept[i] = true
			count++
		}
	}
	var r rotation
	if p.MaxTotalBytes != nil {
		r.cappedButUnreachable = applyCap(candidates, kept, protected, *p.MaxTotalBytes, p.MinFloor)
	}
	r.keep, r.prune = split(candidates, kept)
	for _, b := range r.prune {
		r.bytesFreed += b.Size
	}
	return r
}

// keepBuckets keeps the newest candidate of each of the n most recent
// buckets that hold a candidate.
func keepBuckets(candidates []*Backup, kept []bool, n int, key bucketKey) {
	seen := map[string]bool{}
	for i, b := range candidates {
		k := key(b.CreatedAt)
		if seen[k] {
			continue
		}
		if len(seen) == n {
			return
		}
		seen[k] = true
		kept[i] = true
	}
}

// applyCap unkeeps the oldest kept candidates until the total size fits,
// never going below the floor; it reports whether the cap stays exceeded.
func applyCap(candidates []*Backup, kept []bool, protected []*Backup, maxBytes int64, floor int) bool {
	var total int64
	for _, b := range protected {
		total += b.Size
	}
	for i, b := range candidates {
		if kept[i] {
			total += b.Size
		}
	}
	count := len(protected) + countTrue(kept)
	for i := len(candidates) - 1; i >= 0 && total > maxBytes && count > floor; i-- {
		if kept[i] {
			kept[i] = false
			total -= candidates[i].Size
			count--
		}
	}
	return total > maxBytes
}

// split lists the candidates kept and pruned, both newest first. Like
// the platform, keep names candidates only: the manual, pinned and failed
// backups the policy never touches are in neither list.
func split(candidates []*Backup, kept []bool) (keep, prune []*Backup) {
	for i, b := range candidates {
		if kept[i] {
			keep = append(keep, b)
		} else {
			prune = append(prune, b)
		}
	}
	return keep, prune
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
