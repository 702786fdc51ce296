package configs

// warningTexts returns cfg's warnings as their messages
// ("file:line:col: ..."), in order; nil when there are none.
func warningTexts(cfg *Config) []string {
	var got []string
	for _, w := range cfg.Warnings {
		got = append(got, w.Error())
	}
	return got
}
