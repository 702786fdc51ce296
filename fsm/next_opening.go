package fsm

import (
	"strconv"
	"time"

	"github.com/baton-chat/baton/configs"
)

// nextText is {next} of the after-hours reply about queue: nextOpening,
// then, for a queue whose hours are in another time zone than Asia/Seoul,
// the zone as {hours} names it (texts.hours_zone: "내일 오전 9시
// (America/Los_Angeles 기준)"). The time and 오늘/내일 are that zone's wall
// clock and calendar, as the hours themselves are written: without the
// zone a user in Korea would read them as Korean time.
func (e *Engine) nextText(queue string, now, next time.Time) string {
	s := nextOpening(now, next)
	if tz := e.hoursZone(queue); tz != "" {
		s += fill(e.texts.HoursZone, "zone", tz)
	}
	return s
}

// hoursZone is the timezone of queue's hours when it is not
// configs.DefaultTimezone (Asia/Seoul), "" otherwise (a queue without
// hours, or one the config does not have, is open or told in Seoul time):
// the zone configs.HoursText adds to {hours}.
func (e *Engine) hoursZone(queue string) string {
	q, ok := e.cfg.Handoff.Queues[queue]
	if !ok || q.Hours == "" {
		return ""
	}
	h, ok := e.cfg.Handoff.Hours[q.Hours]
	if !ok || h.Timezone == "" || h.Timezone == configs.DefaultTimezone {
		return ""
	}
	return h.Timezone
}

// nextOpening renders the next opening time next as the user should read it
// at now: "오늘 오후 2시" when it is later the same day, "내일 오전 9시" when
// it is the next day, else the date form of koreanTime ("11월 30일(월) 오전
// 9시"), with the year when it is more than farOpening away ("2027년 9월
// 1일(수) 오전 9시"). Days are calendar days in next's location — the time
// zone of the queue's business hours (Hours.Open returns next there) —
// never the server's, so a server in UTC says 오늘 at 00:30 in Seoul for a
// 9:00 opening. An opening at midnight that ends today is "오늘 밤 12시":
// "내일 자정" reads as the end of tomorrow, and "오전 12시" as noon; with
// a date it is "오전 0시" (koreanClock).
func nextOpening(now, next time.Time) string {
	loc := next.Location()
	y, m, d := now.In(loc).Date()
	ny, nm, nd := next.Date()
	if ny == y && nm == m && nd == d {
		return "오늘 " + koreanClock(next)
	}
	ty, tm, td := time.Date(y, m, d+1, 0, 0, 0, 0, loc).Date()
	if ny == ty && nm == tm && nd == td {
		if next.Hour() == 0 && next.Minute() == 0 {
			return "오늘 밤 12시"
		}
		return "내일 " + koreanClock(next)
	}
	if next.Sub(now) > farOpening {
		// Months away (a queue closed for a season, an exception next
		// year): "3월 2일" alone would read as this year's.
		return strconv.Itoa(ny) + "년 " + koreanTime(next)
	}
	return koreanTime(next)
}

// farOpening is how far away an opening is told with its year: within it,
// a date without one is the next such date (12월 30일 → 1월 2일 reads
// right).
const farOpening = 180 * 24 * time.Hour

// reopens reports whether a reopen notice for queue, asked for at now, has
// an opening to wait for: the queue is open (a full queue's after_hours), or
// its hours give a next opening. Without one — no window within the hours'
// lookahead, or closed until further notice — the after-hours reply offers
// no 열리면 알려주세요 (afterHoursReply), and the label typed anyway is not
// taken as a request.
func (e *Engine) reopens(queue string, now time.Time) bool {
	if e.hours == nil {
		return true
	}
	open, next := e.hours.Open(queue, now)
	return open || !next.IsZero()
}
