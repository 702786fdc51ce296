package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// validateEnv returns the lookup `baton validate` expands ${VAR}s with: the
// process environment first (as serve's), then the NAME=value lines of
// files, a later file winning over an earlier one. It returns an error
// naming the file and line when one cannot be read or parsed.
func validateEnv(files []string) (func(string) (string, bool), error) {
	fromFiles := map[string]string{}
	for _, f := range files {
		vars, err := readEnvFile(f)
		if err != nil {
			return nil, err
		}
		for k, v := range vars {
			fromFiles[k] = v
		}
	}
	return func(name string) (string, bool) {
		if v, ok := os.LookupEnv(name); ok {
			return v, true
		}
		v, ok := fromFiles[name]
		return v, ok
	}, nil
}

// readEnvFile reads a dotenv-style file: one NAME=value a line, an optional
// leading "export ", blank lines and lines starting with # skipped. The
// value is taken as written after the = (surrounding spaces trimmed); one
// pair of matching quotes around it, ' or ", is removed, with no escapes
// and no ${...} expansion inside.
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("env file: %w", err)
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		name, value, ok := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		if !ok || !envNameOK(name) {
			return nil, fmt.Errorf("%s:%d: want NAME=value, a variable name of letters, digits and _", path, n)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		vars[name] = value
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("env file %s: %w", path, err)
	}
	return vars, nil
}

// envNameOK reports whether name is a shell-style variable name, as the
// config's ${VAR} takes.
func envNameOK(name string) bool {
	for i, r := range name {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return name != ""
}

// unsetVars collects the names of the ${VAR}s without a default that the
// environment (and the env files) lacked while a config loaded.
type unsetVars struct{ names []string }

// add records name once (configs.Options.Unset).
func (u *unsetVars) add(name string) {
	if !slices.Contains(u.names, name) {
		u.names = append(u.names, name)
	}
}

// note writes one "FILE: note:" line naming the unset variables, if any,
// and how to check the config with them: serve expands them from its own
// environment, which the machine running validate (CI) may not have, and
// until they have values the checks of the values they feed (a dealer's
// https URL and secret, a webhook's) cannot run. withFiles says env files
// were given (they lacked the names too).
func (u *unsetVars) note(w io.Writer, path string, withFiles bool) {
	if len(u.names) == 0 {
		return
	}
	names := slices.Sorted(slices.Values(u.names))
	how := "if they are set only where `baton serve` runs, give validate representative values with --env-file FILE (NAME=value lines) so the checks of the values they feed run too"
	if withFiles {
		how = "neither the environment nor the --env-file files set them; add them to an env file if `baton serve` gets them where it runs"
	}
	noun := "variables"
	if len(names) == 1 {
		noun = "variable"
	}
	fmt.Fprintf(w, "%s: note: %d %s without a default not set here, so expanded to nothing: %s; %s\n",
		path, len(names), noun, strings.Join(names, ", "), how)
}
