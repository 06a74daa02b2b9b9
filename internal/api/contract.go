package api

import _ "embed" // CONTRACT.md travels with the binaries that read it

// ContractText is CONTRACT.md itself, for tools that read a table of it (the
// differential reads its accepted differences) without knowing where the
// source tree is.
//
//go:embed CONTRACT.md
var ContractText string
