// Package api is the platform API's vocabulary: the facts the client, the
// provider and the simulator must agree on, written once. CONTRACT.md in
// this directory describes the platform's observed behaviour in prose;
// this package holds the parts of it code can use directly: the error
// codes (codes.go), the platform's defaults, value sets and ranges
// (defaults.go) and bodies recorded from the contract as JSON fixtures
// (fixtures.go). contract_test.go keeps CONTRACT.md and the Go tables
// equal, so neither can change without the other.
//
// The package depends on nothing but the standard library, so every other
// package, tests included, may import it.
package api
