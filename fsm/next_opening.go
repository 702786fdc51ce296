package fsm

import (
	"strconv"
	"time"
)

// nextOpening renders the next opening time next as the user should read it
// at now: "오늘 오후 2시" when it is later the same day, "내일 오전 9시" when
// it is the next day, else the date form of koreanTime ("11월 30일(월) 오전
// 9시"), with the year when it is more than farOpening away ("2027년 9월
// 1일(수) 오전 9시"). Days are calendar days in next's location — the time
// zone of the queue's business hours (Hours.Open returns next there) —
// never the server's, so a server in UTC says 오늘 at 00:30 in Seoul for a
// 9:00 opening.
func nextOpening(now, next time.Time) string {
	loc := next.Location()
	y, m, d := now.In(loc).Date()
	ny, nm, nd := next.Date()
	if ny == y && nm == m && nd == d {
		return "오늘 " + koreanClock(next)
	}
	ty, tm, td := time.Date(y, m, d+1, 0, 0, 0, 0, loc).Date()
	if ny == ty && nm == tm && nd == td {
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
