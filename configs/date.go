package configs

import (
	"fmt"
	"regexp"
	"time"
)

// dateShapeRE is a date written YYYY-MM-DD, valid or not.
var dateShapeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// CheckDate reports whether s is a day of the calendar written YYYY-MM-DD
// (an hours exception, a holiday). The error says which is wrong: the
// shape ("must be YYYY-MM-DD") or, for a well-written date that does not
// exist ("2026-11-31", "2026-02-29"), the month and how many days it has.
func CheckDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return nil
	}
	if !dateShapeRE.MatchString(s) {
		return fmt.Errorf("must be YYYY-MM-DD")
	}
	var y, m, d int
	if _, err := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); err != nil || m < 1 || m > 12 {
		return fmt.Errorf("is not a date: the month must be 01 to 12")
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return fmt.Errorf("is not a date: %04d-%02d has %d days", y, m, days)
}
