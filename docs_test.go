package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexLinksEveryGuide: the provider's page on the registry
// (templates/index.md.tmpl, rendered as docs/index.md) and the README link
// every guide, so that a new guide is not found only by those who know it
// is there (the testing guide once was not linked).
func TestIndexLinksEveryGuide(t *testing.T) {
	guides, err := filepath.Glob("templates/guides/*.md.tmpl")
	if err != nil || len(guides) == 0 {
		t.Fatalf("no guides found (%v)", err)
	}
	for _, page := range []struct{ file, prefix string }{
		{"templates/index.md.tmpl", "guides/"},
		{"README.md", "docs/guides/"},
	} {
		text, err := os.ReadFile(page.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range guides {
			link := "(" + page.prefix + strings.TrimSuffix(filepath.Base(g), ".tmpl") + ")"
			if !strings.Contains(string(text), link) {
				t.Errorf("%s does not link the guide %s: no %q", page.file, g, link)
			}
		}
	}
}
