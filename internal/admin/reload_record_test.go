package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/baton-chat/baton/configs"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
)

// TestReloadAppliedIsRecordedAfterTheCallerLeft: POST /admin/reload runs
// ConfigReloader.Reload under the request's context. When that context ends
// after Apply swapped the new config in (the operator's curl times out or is
// interrupted while the engine is built — a big FAQ takes a while), the
// history row used to be written under the dead context and failed: the new
// config was in force, but GET /admin/reloads had no row for it and the
// caller got "reload failed". docs/admin-api.md "Reload": "Every attempt is kept in
// `reloads` (ok, invalid, refused, failed)", and docs/ops.md tells the
// operator to confirm a reload with `GET /admin/reloads?limit=1` showing
// `ok` with the new version — which here never appears, so they conclude it
// did not apply while it did. Expected: an applied reload is always
// recorded (record it with context.WithoutCancel: the swap cannot be
// undone by a caller hanging up).
func TestReloadAppliedIsRecordedAfterTheCallerLeft(t *testing.T) {
	db := testutil.Store(t)
	cur, err := configs.Load("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	applied := false
	r := &ConfigReloader{
		Path:    "../../configs/example.yaml",
		DB:      db,
		Current: func() *configs.Config { return cur },
		Apply: func(cfg *configs.Config) (string, error) {
			applied = true
			cancel() // the admin's HTTP client hangs up while the new engine is built
			return "", nil
		},
	}
	rec, err := r.Reload(ctx, "tok-1")
	if !applied {
		t.Fatalf("Reload = %v before Apply ran", err)
	}
	got, rerr := db.Reloads(context.Background(), store.ReloadFilter{})
	if rerr != nil {
		t.Fatal(rerr)
	}
	if len(got) != 1 || got[0].Result != store.ReloadOK {
		t.Fatalf("reload applied (Reload returned %v) but the history holds %+v; want one ok row", err, got)
	}
	if err != nil || rec != got[0] {
		t.Errorf("Reload = %+v, %v; want the recorded row %+v and no error", rec, err, got[0])
	}
}

// thenSIGHUP is the serve process's reloader with a SIGHUP (systemctl
// reload baton) that lands right after the admin's reload finished: both go
// through the same real ConfigReloader, serialised by its mutex.
type thenSIGHUP struct {
	*ConfigReloader
	sighup *ConfigReloader // the same history, a file that no longer loads
}

func (z thenSIGHUP) Reload(ctx context.Context, by string) (store.Reload, error) {
	rec, err := z.ConfigReloader.Reload(ctx, by)
	_, _ = z.sighup.Reload(ctx, "SIGHUP")
	return rec, err
}

// TestReloadAnswerShowsOwnAttempt: POST /admin/reload answers {"result":
// "ok", "reload": <row>}. The row used to be "the newest row of the
// history", read after ConfigReloader.Reload released its lock, so a SIGHUP
// reload (docs/ops.md: "reload with SIGHUP (systemctl reload baton) or the
// admin API") recorded in between was shown as this request's attempt: the
// operator read result "ok" next to a reload by "SIGHUP" that was
// "invalid", with another version and detail. The answer's "reload" is the
// row this request recorded (by = the caller's token id, result ok).
func TestReloadAnswerShowsOwnAttempt(t *testing.T) {
	db := testutil.Store(t)
	cur, err := configs.Load("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := &ConfigReloader{Path: "../../configs/example.yaml", DB: db, Current: func() *configs.Config { return cur },
		Apply: func(*configs.Config) (string, error) { return "", nil }}
	broken := &ConfigReloader{Path: t.TempDir() + "/missing.yaml", DB: db, Current: func() *configs.Config { return cur },
		Apply: func(*configs.Config) (string, error) { return "", nil }}
	e := echo.New()
	srv := New(db, nil, Options{BootstrapToken: "boot-master-secret-7d41", SubjectKey: []byte("k"),
		Reloader: thenSIGHUP{base, broken}})
	srv.Register(e)
	hs := httptest.NewServer(e)
	defer hs.Close()

	req, _ := http.NewRequest(http.MethodPost, hs.URL+"/admin/reload", nil)
	req.Header.Set("Authorization", "Bearer boot-master-secret-7d41")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Result string         `json:"result"`
		Reload map[string]any `json:"reload"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || body.Result != store.ReloadOK {
		t.Fatalf("POST /admin/reload: got %d %+v, want 200 ok", resp.StatusCode, body)
	}
	if body.Reload["by"] != BootstrapID || body.Reload["result"] != store.ReloadOK {
		t.Errorf("POST /admin/reload answered result ok with the reload row %v; want this request's own row (by %q, result ok)",
			body.Reload, BootstrapID)
	}
}
