package simulator

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// idGen makes cuid-like ids: "c" + 24 lowercase base36 characters
// (timestamp, counter, randomness). Clients must treat them as opaque.
type idGen struct {
	mu      sync.Mutex
	rnd     *rand.Rand
	counter uint64
	now     func() time.Time
}

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

func newIDGen(seed uint64, now func() time.Time) *idGen {
	return &idGen{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: now}
}

func (g *idGen) next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.counter++
	var b strings.Builder
	b.WriteByte('c')
	b.WriteString(fixed36(uint64(g.now().UnixMilli()), 8))
	b.WriteString(fixed36(g.counter, 4))
	for i := 0; i < 12; i++ {
		b.WriteByte(base36[g.rnd.IntN(36)])
	}
	return b.String()
}

// fixed36 renders n in base36, left-padded or cut to its last width digits.
func fixed36(n uint64, width int) string {
	s := strconv.FormatUint(n, 36)
	if len(s) > width {
		return s[len(s)-width:]
	}
	return strings.Repeat("0", width-len(s)) + s
}
