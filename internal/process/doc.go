// Package process holds the process-wide settings of the provider binary
// (logging and garbage collection), kept apart from the provider so the
// benchmark's baseline plugin runs with the same ones.
package process
