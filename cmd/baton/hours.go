package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/handoff"
)

// holidaysDir is --holidays, or the holidays directory beside the config
// file (configs/holidays for configs/example.yaml).
func (m *Main) holidaysDir() string {
	if m.HolidaysDir != "" {
		return m.HolidaysDir
	}
	return filepath.Join(filepath.Dir(m.ConfigPath), "holidays")
}

// checkHolidaysFlag checks a --holidays directory named on the command
// line: it must exist and be a directory. The default (holidays/ beside the
// config) may be missing, which means built-in calendars only; a directory
// the operator named and mistyped would silently mean the same, and the
// calendars in it would never apply.
func checkHolidaysFlag(cmd, dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: --holidays %s: no such directory", cmd, dir)
	case err != nil:
		return fmt.Errorf("%s: --holidays %s: %w", cmd, dir, err)
	case !st.IsDir():
		return fmt.Errorf("%s: --holidays %s: not a directory", cmd, dir)
	}
	return nil
}

// startHours loads the holiday calendars (the directory on top of those
// built into the binary), compiles the config's hours
// against them and puts the admin overrides stored in the database on top:
// m.Holidays and m.Hours. A calendar the config names but the directory
// lacks is an error naming the file.
func (m *Main) startHours(ctx context.Context, cfg *configs.Config) error {
	cals, err := handoff.LoadCalendars(m.holidaysDir(), configs.HolidayCalendars())
	if err != nil {
		return fmt.Errorf("baton serve: %w", err)
	}
	cals.Now = m.Now
	override, err := m.envHoursOverride()
	if err != nil {
		return fmt.Errorf("baton serve: %w", err)
	}
	hours, err := handoff.NewHours(cfg, cals, override)
	if err != nil {
		return fmt.Errorf("baton serve: %w", err)
	}
	ctl, err := handoff.NewHoursControl(ctx, m.DB, hours)
	if err != nil {
		return fmt.Errorf("baton serve: %w", err)
	}
	ctl.Now = m.Now
	m.Holidays, m.Hours = cals, ctl
	if warn := cals.Check(m.Now()); warn != nil {
		m.Logger.Warn("holiday calendars incomplete", "warning", warn.Error())
	}
	return nil
}

// envHoursOverride is BATON_HOURS_OVERRIDE, checked. A mistyped value stops
// the start with an error that names the variable, so the operator looks in
// the environment file rather than the config or the admin API's overrides.
func (m *Main) envHoursOverride() (handoff.Override, error) {
	v := handoff.Override(m.getenv("BATON_HOURS_OVERRIDE"))
	switch v {
	case handoff.OverrideNone, handoff.OverrideOpen, handoff.OverrideClosed:
		return v, nil
	}
	return "", fmt.Errorf("BATON_HOURS_OVERRIDE=%q: want open or closed (or unset: follow the hours)", string(v))
}

// holidaysStatus is the /readyz "holidays" field: "ok" or the warning
// (a warning only: it never changes the status).
func (m *Main) holidaysStatus() string {
	if m.Holidays == nil {
		return "ok"
	}
	if warn := m.Holidays.Check(m.Now()); warn != nil {
		return warn.Error()
	}
	return "ok"
}
