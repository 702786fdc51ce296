//go:build !race

package faq

// LoadExampleFAQ lets the external test (shop_config_test.go) compare
// loadExampleFAQ with configs.Config.FAQEntries.
var LoadExampleFAQ = loadExampleFAQ
