package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestEveryCallAfterCloseIsErrClosed: after Close every exported method of
// DB that takes a context answers an error wrapping ErrClosed (Close's
// promise), the readers on the read pool included — not database/sql's
// "sql: database is closed", which callers cannot tell from a failing disk.
// TestClosedCallsListEveryMethod keeps the table complete.
func TestEveryCallAfterCloseIsErrClosed(t *testing.T) {
	t.Parallel()
	db, _ := openTestDB(t, Options{})
	box, err := NewContactBox(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for name, call := range closedCalls(db, box, t.TempDir()) {
		t.Run(name, func(t *testing.T) {
			if err := call(context.Background()); !errors.Is(err, ErrClosed) {
				t.Errorf("%s after Close: got %v, want an error wrapping ErrClosed", name, err)
			}
		})
	}
}

// TestClosedCallsListEveryMethod: closedCalls names every exported method of
// DB but those that take no context.
func TestClosedCallsListEveryMethod(t *testing.T) {
	t.Parallel()
	listed := closedCalls(nil, nil, "")
	noContext := map[string]bool{"Close": true, "Err": true, "ReadDB": true, "Stats": true}
	typ := reflect.TypeFor[*DB]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if _, ok := listed[name]; !ok && !noContext[name] {
			t.Errorf("DB.%s is not in closedCalls: add it (or to noContext if it takes no context)", name)
		}
	}
}

// closedCalls is one call of each exported DB method that takes a context,
// with arguments that would do something on an open store (a backup would
// be written in dir).
func closedCalls(db *DB, box *ContactBox, dir string) map[string]func(ctx context.Context) error {
	now := time.Now()
	h := Handoff{ID: "01JD0000000000000000000001", UserKey: "u-1", Queue: "general"}
	tk := Ticket{ID: "01JD0000000000000000000002", UserKey: "u-1", Queue: "general"}
	tm := Timer{Kind: TimerWaitTimeout, ID: h.ID, UserKey: "u-1", DueAt: now}
	msg := OutboxMsg{ID: "01JD0000000000000000000003", Subject: "baton.test"}
	noop := func(*sql.Tx) error { return nil }
	return map[string]func(ctx context.Context) error{
		// Readers.
		"AcceptStats":      func(ctx context.Context) error { _, err := db.AcceptStats(ctx, "general", now); return err },
		"AccessLog":        func(ctx context.Context) error { _, err := db.AccessLog(ctx, AccessFilter{}); return err },
		"AdminTokenByHash": func(ctx context.Context) error { _, _, err := db.AdminTokenByHash(ctx, "x"); return err },
		"AdminTokens":      func(ctx context.Context) error { _, err := db.AdminTokens(ctx); return err },
		"CSATAnswered":     func(ctx context.Context) error { _, err := db.CSATAnswered(ctx, h.ID); return err },
		"HandoffCSAT":      func(ctx context.Context) error { _, _, _, err := db.HandoffCSAT(ctx, h.ID); return err },
		"CSATScores":       func(ctx context.Context) error { _, err := db.CSATScores(ctx); return err },
		"Contact":          func(ctx context.Context) error { _, _, err := db.Contact(ctx, box, "c"); return err },
		"CountTurns":       func(ctx context.Context) error { _, err := db.CountTurns(ctx, "u-1"); return err },
		"DealerEventSeen":  func(ctx context.Context) error { _, err := db.DealerEventSeen(ctx, "d", "e", now); return err },
		"DealerFailed":     func(ctx context.Context) error { _, err := db.DealerFailed(ctx, h.ID); return err },
		"DealerSessionEnd": func(ctx context.Context) error {
			_, _, err := db.DealerSessionEnd(ctx, "d", "u-1", now)
			return err
		},
		"Deliveries":        func(ctx context.Context) error { _, err := db.Deliveries(ctx, h.ID); return err },
		"ErasureCancelByID": func(ctx context.Context) error { _, _, err := db.ErasureCancelByID(ctx, "x"); return err },
		"EventNotification": func(ctx context.Context) error { _, _, err := db.EventNotification(ctx, "n", "u-1"); return err },
		"EventSendByID":     func(ctx context.Context) error { _, _, err := db.EventSendByID(ctx, "s"); return err },
		"EventSendNotifications": func(ctx context.Context) error {
			_, err := db.EventSendNotifications(ctx, "s", "sent")
			return err
		},
		"EventSpend":          func(ctx context.Context) error { _, _, err := db.EventSpend(ctx, "2026-01-01"); return err },
		"Handoff":             func(ctx context.Context) error { _, _, err := db.Handoff(ctx, h.ID); return err },
		"HandoffAgent":        func(ctx context.Context) error { _, _, err := db.HandoffAgent(ctx, h.ID); return err },
		"HandoffEvents":       func(ctx context.Context) error { _, err := db.HandoffEvents(ctx, now.Add(-time.Hour), now); return err },
		"HandoffIntake":       func(ctx context.Context) error { _, err := db.HandoffIntake(ctx, box, h.ID); return err },
		"HandoffIntakeFields": func(ctx context.Context) error { _, err := db.HandoffIntakeFields(ctx, h.ID); return err },
		"HandoffIntakePublic": func(ctx context.Context) error { _, err := db.HandoffIntakePublic(ctx, box, h.ID); return err },
		"HoursOverrides":      func(ctx context.Context) error { _, err := db.HoursOverrides(ctx); return err },
		"IntegrityCheck":      func(ctx context.Context) error { return db.IntegrityCheck(ctx) },
		"ListHandoffs":        func(ctx context.Context) error { _, err := db.ListHandoffs(ctx, HandoffFilter{}); return err },
		"LastHandoff":         func(ctx context.Context) error { _, _, err := db.LastHandoff(ctx, "u"); return err },
		"ListTickets":         func(ctx context.Context) error { _, err := db.ListTickets(ctx, TicketFilter{}); return err },
		"Load":                func(ctx context.Context) error { _, _, _, err := db.Load(ctx, "u-1"); return err },
		"Notification":        func(ctx context.Context) error { _, _, err := db.Notification(ctx, "n"); return err },
		"Notifications":       func(ctx context.Context) error { _, err := db.Notifications(ctx, "pending", now, 10); return err },
		"OldestUnpublished":   func(ctx context.Context) error { _, _, err := db.OldestUnpublished(ctx); return err },
		"OpenEventSends":      func(ctx context.Context) error { _, err := db.OpenEventSends(ctx); return err },
		"OpenHandoff":         func(ctx context.Context) error { _, _, err := db.OpenHandoff(ctx, "u-1"); return err },
		"OpenHandoffQueues":   func(ctx context.Context) error { _, err := db.OpenHandoffQueues(ctx); return err },
		"OverdueTimers": func(ctx context.Context) error {
			_, err := db.OverdueTimers(ctx, now, 10, TimerWaitTimeout)
			return err
		},
		"PendingEventRecipients": func(ctx context.Context) error { _, err := db.PendingEventRecipients(ctx, now, 10); return err },
		"PendingOutbox":          func(ctx context.Context) error { _, err := db.PendingOutbox(ctx, 10); return err },
		"PendingOutboxCovering":  func(ctx context.Context) error { _, _, err := db.PendingOutboxCovering(ctx, 10); return err },
		"PendingTimers":          func(ctx context.Context) error { _, err := db.PendingTimers(ctx, "u-1"); return err },
		"RecentTurns":            func(ctx context.Context) error { _, err := db.RecentTurns(ctx, "u-1", now, 10); return err },
		"Reloads":                func(ctx context.Context) error { _, err := db.Reloads(ctx, ReloadFilter{}); return err },
		"TicketAnswer":           func(ctx context.Context) error { _, _, _, err := db.TicketAnswer(ctx, tk.ID); return err },
		"TicketByID":             func(ctx context.Context) error { _, _, err := db.TicketByID(ctx, tk.ID); return err },
		"TicketDeliveries":       func(ctx context.Context) error { _, err := db.TicketDeliveries(ctx, tk.ID); return err },
		"Tickets":                func(ctx context.Context) error { _, err := db.Tickets(ctx, ""); return err },
		"Timer":                  func(ctx context.Context) error { _, _, err := db.Timer(ctx, tm.Kind, tm.ID); return err },
		"TimerBacklog":           func(ctx context.Context) error { _, _, err := db.TimerBacklog(ctx, now); return err },
		"TurnsBefore":            func(ctx context.Context) error { _, err := db.TurnsBefore(ctx, "u-1", "t", 10); return err },
		"UnansweredReport": func(ctx context.Context) error {
			_, err := db.UnansweredReport(ctx, now.Add(-time.Hour), 10)
			return err
		},
		"UserByPlusfriendKey":       func(ctx context.Context) error { _, _, err := db.UserByPlusfriendKey(ctx, "pf"); return err },
		"UserRefs":                  func(ctx context.Context) error { _, err := db.UserRefs(ctx, "u-1"); return err },
		"GroupKeys":                 func(ctx context.Context) error { _, err := db.GroupKeys(ctx, "u-1"); return err },
		"UserTimers":                func(ctx context.Context) error { _, err := db.UserTimers(ctx, "u-1"); return err },
		"WaitingAhead":              func(ctx context.Context) error { _, err := db.WaitingAhead(ctx, h); return err },
		"WaitingCount":              func(ctx context.Context) error { _, err := db.WaitingCount(ctx, "general"); return err },
		"ConversationsWithoutTimer": func(ctx context.Context) error { _, err := db.ConversationsWithoutTimer(ctx); return err },
		"CheckWrites":               func(ctx context.Context) error { return db.CheckWrites(ctx) },
		"Backup": func(ctx context.Context) error {
			return db.Backup(ctx, filepath.Join(dir, "backup.db"))
		},

		// Writes (through the writer).
		"AbandonEventSend": func(ctx context.Context) error { return db.AbandonEventSend(ctx, "s", "d", now) },
		"AcceptEventSend":  func(ctx context.Context) error { return db.AcceptEventSend(ctx, "s", "task", now) },
		"AddAdminToken":    func(ctx context.Context) error { return db.AddAdminToken(ctx, AdminToken{ID: "t", Hash: "h"}) },
		"AddNotification":  func(ctx context.Context) error { return db.AddNotification(ctx, &Notification{ID: "n"}) },
		"AdoptSinkNames":   func(ctx context.Context) error { _, err := db.AdoptSinkNames(ctx, nil); return err },
		"AnnounceHandoffTicket": func(ctx context.Context) error {
			_, err := db.AnnounceHandoffTicket(ctx, h.ID, "dealer_failed", func(string) OutboxMsg { return msg })
			return err
		},
		"AnswerTicket":        func(ctx context.Context) error { _, err := db.AnswerTicket(ctx, tk.ID, "a", now); return err },
		"AssignTicket":        func(ctx context.Context) error { return db.AssignTicket(ctx, tk.ID, "a", now) },
		"BeginEventSend":      func(ctx context.Context) error { return db.BeginEventSend(ctx, &EventSend{ID: "s"}, nil, 1000) },
		"CloseHandoff":        func(ctx context.Context) error { _, err := db.CloseHandoff(ctx, h.ID, "user", now); return err },
		"CloseTicket":         func(ctx context.Context) error { return db.CloseTicket(ctx, tk.ID, now) },
		"Commit":              func(ctx context.Context) error { return db.Commit(ctx, testTurn("u-1", 0, now)) },
		"DeleteHoursOverride": func(ctx context.Context) error { _, err := db.DeleteHoursOverride(ctx, "*"); return err },
		"DropErasureCancel":   func(ctx context.Context) error { return db.DropErasureCancel(ctx, "x") },
		"EraseUser":           func(ctx context.Context) error { _, err := db.EraseUser(ctx, "u-1"); return err },
		"EraseUserOwing": func(ctx context.Context) error {
			_, err := db.EraseUserOwing(ctx, "u-1", CancelOwe{Reason: "user_erased", Now: now, Msg: func(string, time.Time) OutboxMsg { return msg }})
			return err
		},
		"FailDealerOver":  func(ctx context.Context) error { _, err := db.FailDealerOver(ctx, tk, "m", now); return err },
		"FailEventSend":   func(ctx context.Context) error { return db.FailEventSend(ctx, "s", "d", now, 3, now) },
		"FinishEventSend": func(ctx context.Context) error { return db.FinishEventSend(ctx, "s", 1, 15, nil, "", now) },
		"FinishTimer": func(ctx context.Context) error {
			_, err := db.FinishTimer(ctx, tm.Kind, tm.ID, "fired", now)
			return err
		},
		"Flush":       func(ctx context.Context) error { return db.Flush(ctx) },
		"LogAccess":   func(ctx context.Context) error { return db.LogAccess(ctx, AccessEntry{At: now}) },
		"LogAccesses": func(ctx context.Context) error { return db.LogAccesses(ctx, []AccessEntry{{At: now}}) },
		"LogAccessesOnce": func(ctx context.Context) error {
			_, err := db.LogAccessesOnce(ctx, []AccessEntry{{At: now}}, time.Hour)
			return err
		},
		"MarkDelivered":       func(ctx context.Context) error { return db.MarkDelivered(ctx, h.ID, "notify", now) },
		"UnmarkDelivered":     func(ctx context.Context) error { return db.UnmarkDelivered(ctx, h.ID, "notify") },
		"MarkHandoffAccepted": func(ctx context.Context) error { _, err := db.MarkHandoffAccepted(ctx, h.ID, now); return err },
		"MarkNotification":    func(ctx context.Context) error { _, err := db.MarkNotification(ctx, "n", "sent", "", now); return err },
		"MarkPublished":       func(ctx context.Context) error { return db.MarkPublished(ctx, []string{msg.ID}, now) },
		"MarkTicketDelivered": func(ctx context.Context) error { return db.MarkTicketDelivered(ctx, tk.ID, "notify", now) },
		"OpenExternalHandoff": func(ctx context.Context) error { return db.OpenExternalHandoff(ctx, h) },
		"OpenTicket":          func(ctx context.Context) error { _, err := db.OpenTicket(ctx, tk); return err },
		"OpenTicketUnless": func(ctx context.Context) error {
			_, err := db.OpenTicketUnless(ctx, tk, []string{"notify_failed"})
			return err
		},
		"OpenWaitTimeoutTicket": func(ctx context.Context) error {
			_, err := db.OpenWaitTimeoutTicket(ctx, tk, "wait_timeout")
			return err
		},
		"OpenNotifyUnansweredTicket": func(ctx context.Context) error {
			_, err := db.OpenNotifyUnansweredTicket(ctx, tk, []string{"wait_timeout"})
			return err
		},
		"OweErasureCancels": func(ctx context.Context) error {
			_, err := db.OweErasureCancels(ctx, "u-1", "user_erased", now, nil)
			return err
		},
		"Prune":             func(ctx context.Context) error { _, err := db.Prune(ctx, now, Retention{Turns: time.Hour}); return err },
		"PruneContacts":     func(ctx context.Context) error { _, err := db.PruneContacts(ctx, now); return err },
		"PruneDealerEvents": func(ctx context.Context) error { _, err := db.PruneDealerEvents(ctx, now); return err },
		"PruneDealerSessionEnds": func(ctx context.Context) error {
			_, err := db.PruneDealerSessionEnds(ctx, now)
			return err
		},
		"PruneHoursOverrides": func(ctx context.Context) error { _, err := db.PruneHoursOverrides(ctx, now); return err },
		"PruneTimers":         func(ctx context.Context) error { _, err := db.PruneTimers(ctx, now); return err },
		"QueueOutbox":         func(ctx context.Context) error { return db.QueueOutbox(ctx, msg) },
		"QueueOutboxOnce":     func(ctx context.Context) error { _, err := db.QueueOutboxOnce(ctx, msg); return err },
		"RecordDealerEvent":   func(ctx context.Context) error { return db.RecordDealerEvent(ctx, "d", "e", now) },
		"RecordDealerSessionEnd": func(ctx context.Context) error {
			return db.RecordDealerSessionEnd(ctx, "d", "u-1", now, now)
		},
		"RecordReload": func(ctx context.Context) error {
			_, err := db.RecordReload(ctx, Reload{At: now, Result: ReloadOK})
			return err
		},
		"RepublishTimer":   func(ctx context.Context) error { _, err := db.RepublishTimer(ctx, tm, msg); return err },
		"RescheduleTimer":  func(ctx context.Context) error { _, err := db.RescheduleTimer(ctx, tm, msg); return err },
		"RevokeAdminToken": func(ctx context.Context) error { _, err := db.RevokeAdminToken(ctx, "t", now); return err },
		"ScheduleTimer":    func(ctx context.Context) error { return db.ScheduleTimer(ctx, tm, msg) },
		"SetHandoffAgent":  func(ctx context.Context) error { _, err := db.SetHandoffAgent(ctx, h.ID, Agent{ID: "a"}); return err },
		"SetHoursOverride": func(ctx context.Context) error { return db.SetHoursOverride(ctx, HoursOverride{Queue: "*"}) },
		"SetPageLimit":     func(ctx context.Context) error { _, err := db.SetPageLimit(ctx, 1000); return err },
		"TouchAdminToken":  func(ctx context.Context) error { return db.TouchAdminToken(ctx, "t", now) },
		"TouchEventSend":   func(ctx context.Context) error { return db.TouchEventSend(ctx, "s", now) },
		"Write":            func(ctx context.Context) error { return db.Write(ctx, noop) },
		"WriteEvict":       func(ctx context.Context) error { return db.WriteEvict(ctx, []string{"u-1"}, noop) },
	}
}
