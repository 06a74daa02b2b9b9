package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// rawPhases is the API's own cost: a plain net/http client sending, per
// phase, one request per database (POST, GET, PATCH, DELETE) with the
// CLI's parallelism, and no Terraform at all.
func (e *benchEnv) rawPhases(ctx context.Context, n int) ([]phaseResult, error) {
	envID := e.sim.CreateEnvironment(fmt.Sprintf("raw-%d-%d", n, time.Now().UnixNano()))
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: e.o.parallelism + 2}}
	ids := make([]string, n)
	steps := []struct {
		name string
		req  func(i int) (method, path string, body any)
	}{
		{"apply-create", func(i int) (string, string, any) {
			return http.MethodPost, "/api/environments/" + envID + "/databases",
				map[string]any{"name": fmt.Sprintf("raw-%d", i), "type": "postgres", "host": "pg.bench.internal", "port": 5432, "databaseName": "bench"}
		}},
		{"plan-refresh", func(i int) (string, string, any) { return http.MethodGet, "/api/databases/" + ids[i], nil }},
		{"apply-update", func(i int) (string, string, any) {
			return http.MethodPatch, "/api/databases/" + ids[i], map[string]any{"port": 5433}
		}},
		{"destroy", func(i int) (string, string, any) { return http.MethodDelete, "/api/databases/" + ids[i], nil }},
	}
	var results []phaseResult
	for _, s := range steps {
		e.sim.ResetRequests()
		start := time.Now()
		err := forEach(n, e.o.parallelism, func(i int) error {
			method, path, body := s.req(i)
			id, err := e.rawCall(ctx, hc, method, path, body)
			if s.name == "apply-create" {
				ids[i] = id
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("plain HTTP %s: %w", s.name, err)
		}
		results = append(results, phaseResult{name: s.name, requests: e.sim.TotalRequests(), status: e.sim.StatusCounts(), wall: time.Since(start)})
	}
	return results, nil
}

func (e *benchEnv) rawCall(ctx context.Context, hc *http.Client, method, path string, body any) (string, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return "", err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.url+path, rd)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Database struct {
			ID string `json:"id"`
		} `json:"database"`
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	_ = json.Unmarshal(b, &out)
	return out.Database.ID, nil
}

// forEach runs f(0..n-1) on at most par goroutines and returns the first error.
func forEach(n, par int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	next := make(chan int)
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}
