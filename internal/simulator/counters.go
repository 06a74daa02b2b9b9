package simulator

import (
	"maps"
	"sync"
)

// counters lets tests and benchmarks see how many calls a client made.
type counters struct {
	mu     sync.Mutex
	routes map[string]int
	status map[int]int
	total  int
}

func newCounters() *counters {
	return &counters{routes: map[string]int{}, status: map[int]int{}}
}

func (c *counters) request(key string) {
	c.mu.Lock()
	c.routes[key]++
	c.total++
	c.mu.Unlock()
}

func (c *counters) response(status int) {
	c.mu.Lock()
	c.status[status]++
	c.mu.Unlock()
}

func (c *counters) byRoute() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.routes)
}

func (c *counters) byStatus() map[int]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.status)
}

func (c *counters) totalCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

func (c *counters) reset() {
	c.mu.Lock()
	c.routes = map[string]int{}
	c.status = map[int]int{}
	c.total = 0
	c.mu.Unlock()
}
