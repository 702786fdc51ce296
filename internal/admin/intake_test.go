package admin_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baton-chat/baton/internal/admin"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/google/go-cmp/cmp"
)

// answerIntake stores the intake answers of handoffID, sealed by box, one
// second apart from at, in the order given; fields named "phone" are pii.
func answerIntake(t *testing.T, db *store.DB, box *store.ContactBox, handoffID, userKey string, at time.Time, nameValues ...string) {
	t.Helper()
	for i := 0; i+1 < len(nameValues); i += 2 {
		name, value := nameValues[i], nameValues[i+1]
		op, err := box.AddIntakeOp(handoffID, userKey, name, value, name == "phone", at.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Write(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.Exec(op.SQL, op.Args...)
			return err
		}); err != nil {
			t.Fatalf("answer intake %s: %v", name, err)
		}
	}
}

// TestHandoffIntakeRoute: a master reads every intake answer of a handoff
// in the order given, a manager the ones not marked pii with the others'
// names withheld; a handoff without answers says whether retention deleted
// them; an unknown handoff is 404 and answers under another key 500. Every
// read that opened an answer, and only those, is in the access log with the
// handoff and the reader, before the answer is decrypted, and no value is
// stored in the clear.
func TestHandoffIntakeRoute(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	box := contactBox(t, 7)
	f := newFixtureOn(t, db, admin.Options{Contacts: box,
		ContactsRetention: func() time.Duration { return 30 * 24 * time.Hour }})
	manager, managerID := f.newToken(t, "상담팀", store.RoleManager)
	master, masterID := f.newToken(t, "운영팀", store.RoleMaster)

	now := time.Now().UTC()
	both := testutil.SeedUser(t, db, "intake-both", now)
	answerIntake(t, db, box, both.HandoffID, both.Key, now.Add(-time.Minute), "order", "A-1001", "phone", "01055557777")
	piiOnly := testutil.SeedUser(t, db, "intake-pii", now)
	answerIntake(t, db, box, piiOnly.HandoffID, piiOnly.Key, now.Add(-time.Minute), "phone", "01066668888")
	none := testutil.SeedUser(t, db, "intake-none", now)
	old := testutil.SeedUser(t, db, "intake-old", now.Add(-40*24*time.Hour))
	otherKey := testutil.SeedUser(t, db, "intake-otherkey", now)
	answerIntake(t, db, contactBox(t, 9), otherKey.HandoffID, otherKey.Key, now.Add(-time.Minute), "order", "C-3003")

	type answer = map[string]any
	order := answer{"name": "order", "value": "A-1001", "pii": false}
	phone := answer{"name": "phone", "value": "01055557777", "pii": true}
	tests := []struct {
		name, token, id string
		want            int
		wantIntake      []answer
		wantWithheld    []string
		wantExpired     bool
		wantErr         string // a part of the error message
		loggedAs        string // the token id of the read_intake row written; "" for none
	}{
		{"no token", "", both.HandoffID, http.StatusUnauthorized, nil, nil, false, "missing admin token", ""},
		{"master reads all", master, both.HandoffID, http.StatusOK, []answer{order, phone}, []string{}, false, "", masterID},
		{"bootstrap master", bootToken, both.HandoffID, http.StatusOK, []answer{order, phone}, []string{}, false, "", admin.BootstrapID},
		{"manager reads no pii", manager, both.HandoffID, http.StatusOK, []answer{order}, []string{"phone"}, false, "", managerID},
		{"manager, pii only", manager, piiOnly.HandoffID, http.StatusOK, []answer{}, []string{"phone"}, false, "", ""},
		{"master, pii only", master, piiOnly.HandoffID, http.StatusOK,
			[]answer{{"name": "phone", "value": "01066668888", "pii": true}}, []string{}, false, "", masterID},
		{"never asked", master, none.HandoffID, http.StatusOK, []answer{}, []string{}, false, "", ""},
		{"past retention", manager, old.HandoffID, http.StatusOK, []answer{}, []string{}, true, "", ""},
		{"unknown handoff", master, "01NOSUCHHANDOFF", http.StatusNotFound, nil, nil, false, "no such handoff", ""},
		{"sealed under another key", manager, otherKey.HandoffID, http.StatusInternalServerError, nil, nil, false, "read intake failed", managerID},
	}
	type logged struct{ Handoff, Token string }
	var wantLogged []logged
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := f.call(t, http.MethodGet, "/admin/handoffs/"+tt.id+"/intake", tt.token, nil)
			if code != tt.want {
				t.Fatalf("got %d %v, want %d", code, body, tt.want)
			}
			if tt.want != http.StatusOK {
				if msg, _ := body["error"].(string); !strings.Contains(msg, tt.wantErr) {
					t.Errorf("error: got %q, want it to mention %q", msg, tt.wantErr)
				}
				if _, ok := body["intake"]; ok {
					t.Errorf("a %d answer carries intake: %v", code, body)
				}
				return
			}
			gotIntake := []answer{}
			items, _ := body["intake"].([]any)
			for _, it := range items {
				a, _ := it.(map[string]any)
				gotIntake = append(gotIntake, a)
			}
			gotWithheld := []string{}
			names, _ := body["withheld"].([]any)
			for _, n := range names {
				s, _ := n.(string)
				gotWithheld = append(gotWithheld, s)
			}
			if body["handoff_id"] != tt.id || items == nil || names == nil {
				t.Errorf("got %v, want handoff_id %s and the intake and withheld lists", body, tt.id)
			}
			if diff := cmp.Diff(tt.wantIntake, gotIntake); diff != "" {
				t.Errorf("intake (-want +got):\n%s", diff)
			}
			if strings.Join(gotWithheld, ",") != strings.Join(tt.wantWithheld, ",") {
				t.Errorf("withheld: got %v, want %v", gotWithheld, tt.wantWithheld)
			}
			if got, _ := body["expired"].(bool); got != tt.wantExpired {
				t.Errorf("expired: got %v, want %v", got, tt.wantExpired)
			}
		})
		if tt.loggedAs != "" {
			wantLogged = append(wantLogged, logged{tt.id, tt.loggedAs})
		}
	}

	rows, err := db.AccessLog(ctx, store.AccessFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var gotLogged []logged
	for i := len(rows) - 1; i >= 0; i-- { // oldest first, as the requests ran
		r := rows[i]
		if r.Action != store.AccessReadIntake {
			t.Errorf("access log: unexpected %+v", r)
			continue
		}
		gotLogged = append(gotLogged, logged{r.HandoffID, r.TokenID})
		if r.HandoffID == both.HandoffID && r.Subject != f.srv.Subject(both.Key) {
			t.Errorf("access log row %+v: got subject %q, want the user's", r, r.Subject)
		}
	}
	if diff := cmp.Diff(wantLogged, gotLogged); diff != "" {
		t.Errorf("read_intake rows (-want +got):\n%s", diff)
	}

	// The access log API shows the handoff; no value is stored in the clear.
	code, body := f.call(t, http.MethodGet, "/admin/access-log?user="+piiOnly.Key, bootToken, nil)
	entries, _ := body["entries"].([]any)
	if code != http.StatusOK || len(entries) != 1 {
		t.Fatalf("access log API: got %d %v, want one entry", code, body)
	}
	if e, _ := entries[0].(map[string]any); e["handoff_id"] != piiOnly.HandoffID || e["action"] != store.AccessReadIntake {
		t.Errorf("access log entry: got %v, want read_intake of %s", e, piiOnly.HandoffID)
	}
	for _, v := range []string{"A-1001", "01055557777", "01066668888", "C-3003"} {
		if hits := testutil.FindInTables(t, db.ReadDB(), v); len(hits) > 0 {
			t.Errorf("%s stored in the clear: %v", v, hits)
		}
	}
}

// TestHandoffIntakeFieldNames: GET /admin/handoffs/:id names the stored
// intake fields, pii ones included, without their values, to a manager.
func TestHandoffIntakeFieldNames(t *testing.T) {
	db := testutil.Store(t)
	box := contactBox(t, 7)
	f := newFixtureOn(t, db, admin.Options{Contacts: box})
	manager, _ := f.newToken(t, "상담팀", store.RoleManager)
	now := time.Now().UTC()
	with := testutil.SeedUser(t, db, "fields-with", now)
	answerIntake(t, db, box, with.HandoffID, with.Key, now.Add(-time.Minute), "order", "A-1001", "phone", "01055557777")
	without := testutil.SeedUser(t, db, "fields-without", now)
	for _, tt := range []struct {
		id   string
		want []any
	}{{with.HandoffID, []any{"order", "phone"}}, {without.HandoffID, []any{}}} {
		code, body := f.call(t, http.MethodGet, "/admin/handoffs/"+tt.id, manager, nil)
		if code != http.StatusOK {
			t.Fatalf("read handoff: got %d %v, want 200", code, body)
		}
		if diff := cmp.Diff(tt.want, body["intake_fields"]); diff != "" {
			t.Errorf("intake_fields of %s (-want +got):\n%s", tt.id, diff)
		}
		for _, v := range []string{"A-1001", "01055557777"} {
			if strings.Contains(fmt.Sprint(body), v) {
				t.Errorf("the handoff detail carries the value %s", v)
			}
		}
	}
}

// TestHandoffIntakeNotConfigured: without a contact box the route is 501.
func TestHandoffIntakeNotConfigured(t *testing.T) {
	db := testutil.Store(t)
	f := newFixtureOn(t, db, admin.Options{})
	u := testutil.SeedUser(t, db, "intake-unconfigured", time.Now().UTC())
	if code, body := f.call(t, http.MethodGet, "/admin/handoffs/"+u.HandoffID+"/intake", bootToken, nil); code != http.StatusNotImplemented {
		t.Errorf("got %d %v, want 501", code, body)
	}
}
