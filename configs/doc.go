// Package configs holds the YAML a bot master edits (example.yaml) and the
// loader that turns it into a Config: a strict decode that reports every
// mistake as file:line:col, ${VAR} expansion inside decoded string values,
// defaults, and cross-validation of the menu graph, FAQ, queues, hours and
// endpoints.
//
// configs imports only the standard library and goccy/go-yaml. It must not
// import skill, fsm, faq, handoff or store: those packages read a *Config.
package configs

// The time zone database is embedded so hours validate (and run) on hosts
// without /usr/share/zoneinfo, such as distroless images.
import _ "time/tzdata"
