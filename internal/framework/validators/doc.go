// Package validators holds the attribute validators the framework-validators
// module has no equivalent for: cron expressions, regular expressions and the
// provider's endpoint URL.
package validators
