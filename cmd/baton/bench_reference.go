package main

import (
	"flag"

	"github.com/baton-chat/baton/bench"
)

// referenceFlag registers --reference on fs: a comma-separated list of
// bench.Reference names measured (saturation only) between the bare
// handler and Baton. An unknown or repeated name is a flag error.
func referenceFlag(fs *flag.FlagSet, refs *[]bench.Reference) {
	fs.Func("reference", "comma-separated reference handlers to measure after bare (saturation only): upsert, upsert-group (bare + one durable SQLite upsert per turn, autocommit or group commit); upsert-normal, upsert-group-normal (synchronous=NORMAL: NOT durable); comparison mode only",
		func(s string) error {
			r, err := bench.ParseReferences(s)
			if err != nil {
				return err
			}
			*refs = r
			return nil
		})
}
