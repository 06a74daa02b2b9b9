package simulator

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
)

// data/database-type-monitoring.json is, per built-in type, the
// "monitoring" object of that type's plugin definition as BridgePort
// (Apache License 2.0) bundles it, copied but for white space from the
// build the contract was recorded from; v2.3.0 bundles the same five
// definitions, so both releases serve it. The platform stores each as JSON.stringify wrote
// it, so the file is written with JSON.stringify's escaping and key order,
// and only its white space differs from the stored text: compacting it
// gives back the platform's string byte for byte. mongodb has none (null).
//
//go:embed data/database-type-monitoring.json
var typeMonitoringJSON []byte

// typeMonitoring is each built-in type's monitoringConfig as the platform
// stores and serves it: a string holding compact JSON, or nil.
var typeMonitoring = mustTypeMonitoring(typeMonitoringJSON)

func mustTypeMonitoring(raw []byte) map[string]*string {
	var byType map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byType); err != nil {
		panic(fmt.Sprintf("simulator: the database types' monitoring data: %v", err))
	}
	out := map[string]*string{}
	for name, config := range byType {
		if string(config) == "null" {
			out[name] = nil
			continue
		}
		var b bytes.Buffer
		if err := json.Compact(&b, config); err != nil {
			panic(fmt.Sprintf("simulator: the %s type's monitoring data: %v", name, err))
		}
		out[name] = ptr(b.String())
	}
	return out
}

// monitoringConfigObject is a type's monitoringConfig as the monitoring
// summary serves it, parsed back into an object; null without one.
func monitoringConfigObject(typeName string) json.RawMessage {
	if config := typeMonitoring[typeName]; config != nil {
		return json.RawMessage(*config)
	}
	return json.RawMessage("null")
}
