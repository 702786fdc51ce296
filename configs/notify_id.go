package configs

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// notifyIDRE is what a notify sink's id may be: a short slug that starts
// with a letter (no ':', which the delivery records use as a separator).
var notifyIDRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// SinkID is the identity of sink n in Baton's delivery records: its id when
// set, else "<kind>-" and the first 12 hex digits of the SHA-256 of its url
// (after ${VAR} expansion). It does not depend on the sink's place in the
// notify list, so a bot master may add, remove or reorder sinks; a new url
// without an id is a new sink (that endpoint was told nothing yet). The
// url itself never appears in it (a Slack webhook's path is a secret).
func (n Notify) SinkID() string {
	if n.ID != "" {
		return n.ID
	}
	sum := sha256.Sum256([]byte(n.URL))
	return n.Kind + "-" + hex.EncodeToString(sum[:6])
}

// validateNotifyIDs refuses a notify id that is not a short slug, and two
// sinks with one identity (SinkID): the same id, or, without ids, the same
// kind and url (they would share their delivery records, so one of them
// would never be told). Sinks with an empty url (off) are compared only by
// the ids written.
func (t *tree) validateNotifyIDs(c *Config) {
	seen := map[string]int{}
	for i, n := range c.Notify {
		np := path{"notify", i}
		if n.ID != "" && !notifyIDRE.MatchString(n.ID) {
			t.errAt(np.with("id"), "notify %d id %q must be a short slug: a-z, 0-9, _ and -, starting with a letter, at most 32 characters", i+1, n.ID)
			continue
		}
		if n.ID == "" && n.URL == "" {
			continue
		}
		id := n.SinkID()
		first, dup := seen[id]
		if !dup {
			seen[id] = i
			continue
		}
		l, _ := t.valuePos(path{"notify", first})
		if n.ID != "" {
			t.errAt(np.with("id"), "duplicate notify id %q (first used by sink %d, line %d): give each sink its own id", n.ID, first+1, l)
			continue
		}
		if c.Notify[first].ID != "" {
			t.errAt(np.with("url"), "notify %d (%s) has no id, and the one its kind and url give, %q, is sink %d's id (line %d): give it an id", i+1, n.Kind, id, first+1, l)
			continue
		}
		t.errAt(np.with("url"), "notify %d (%s) has the same kind and url as sink %d (line %d), so both would be sink %q and share what they were told: remove one, or give each an id", i+1, n.Kind, first+1, l, id)
	}
}
