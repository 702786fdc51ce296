package store

import (
	"math"
	"strings"
	"time"

	"github.com/baton-chat/baton/fsm"
)

// cacheSlot is one cached user, packed so that the collector has a single
// pointer to follow per entry: every string of the user and the
// conversation lives in strs, every time is a count of milliseconds. A
// cache of a hundred thousand users is then a few hundred thousand objects
// to mark instead of a few million words to scan; the unpacked entry held
// about twenty pointers (strings, slices, each time's location).
//
// strs is the user key (keyLen bytes) followed by the other strings in
// packedStrings order, each as a uvarint length and its bytes, then the
// menu path and the clarify list, each as a uvarint count and its strings.
// The map of the shard uses strs[:keyLen] as its key.
type cacheSlot struct {
	strs      string
	keyLen    uint32
	flags     uint8
	ref       bool
	dirty     bool // the entry is newer than the users/conversations rows (its turns are in conv_journal)
	userDirty bool // the users row is among what is not yet written
	faqMisses int64
	version   int64
	lastTurn  int64 // the rowid of the user's latest turn (conversations.last_turn)
	times     [nSlotTimes]int64
}

// Bits of cacheSlot.flags.
const (
	slotFriend      = 1 << iota // User.IsFriend
	slotTest                    // User.Test
	slotRetried                 // Intake.Retried
	slotConvKeyDiff             // Conversation.UserKey differs from the key (packed as a string)
)

// The times of a slot, milliseconds since the epoch in UTC (the precision
// the tables keep), noTime for the zero time.
const (
	tFirstSeen = iota
	tLastSeen
	tUserWelcomed
	tStateSince
	tLastTurnAt
	tConvWelcomed
	nSlotTimes
)

const noTime = math.MinInt64

// nPacked is the number of strings packed after the key: see packedStrings.
const nPacked = 16

// packedStrings are e's strings packed after the key, in the order entry
// reads them back (convKey is "" unless it differs from the key).
func packedStrings(e *entry, convKey string) [nPacked]string {
	return [nPacked]string{
		e.user.BotID, e.user.PlusfriendKey, e.user.AppUserID,
		string(e.conv.State), e.conv.CSATPending, e.conv.HandoffID, e.conv.Queue, e.conv.ConfigVersion,
		e.conv.Intake.Step, e.conv.Intake.Message, e.conv.Intake.HandoffID, e.conv.Intake.Field,
		e.conv.Intake.Reason, e.conv.Intake.Passed, e.conv.Intake.Pref,
		convKey,
	}
}

// packSlot packs key's entry into one allocation. Times keep millisecond
// precision in UTC, as they read back from the tables.
func packSlot(key string, e entry) cacheSlot {
	sl := cacheSlot{
		keyLen:    uint32(len(key)),
		dirty:     e.dirty,
		userDirty: e.userDirty,
		faqMisses: int64(e.conv.FAQMisses),
		version:   e.conv.Version,
		lastTurn:  e.lastTurn,
	}
	if e.user.IsFriend {
		sl.flags |= slotFriend
	}
	if e.user.Test {
		sl.flags |= slotTest
	}
	if e.conv.Intake.Retried {
		sl.flags |= slotRetried
	}
	convKey := ""
	if e.conv.UserKey != key {
		sl.flags |= slotConvKeyDiff
		convKey = e.conv.UserKey
	}
	strs := packedStrings(&e, convKey)
	for i, t := range [nSlotTimes]time.Time{
		e.user.FirstSeen, e.user.LastSeen, e.user.WelcomedAt,
		e.conv.StateSince, e.conv.LastTurnAt, e.conv.WelcomedAt,
	} {
		sl.times[i] = noTime
		if !t.IsZero() {
			sl.times[i] = t.UnixMilli()
		}
	}

	size := len(key) + uvarintLen(len(e.conv.MenuPath)) + uvarintLen(len(e.conv.Clarify))
	for _, s := range strs {
		size += strLen(s)
	}
	for _, s := range e.conv.MenuPath {
		size += strLen(s)
	}
	for _, s := range e.conv.Clarify {
		size += strLen(s)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(key)
	for _, s := range strs {
		writeStr(&b, s)
	}
	writeUvarint(&b, len(e.conv.MenuPath))
	for _, s := range e.conv.MenuPath {
		writeStr(&b, s)
	}
	writeUvarint(&b, len(e.conv.Clarify))
	for _, s := range e.conv.Clarify {
		writeStr(&b, s)
	}
	sl.strs = b.String()
	return sl
}

// key is the slot's user key, sharing the packed string.
func (sl *cacheSlot) key() string { return sl.strs[:sl.keyLen] }

// user unpacks the user row alone; it allocates nothing.
func (sl *cacheSlot) user() User {
	r := unpacker{s: sl.strs, p: int(sl.keyLen)}
	u := User{Key: sl.key(), BotID: r.str(), PlusfriendKey: r.str(), AppUserID: r.str()}
	sl.userScalars(&u)
	return u
}

func (sl *cacheSlot) userScalars(u *User) {
	u.IsFriend = sl.flags&slotFriend != 0
	u.Test = sl.flags&slotTest != 0
	u.FirstSeen = slotTime(sl.times[tFirstSeen])
	u.LastSeen = slotTime(sl.times[tLastSeen])
	u.WelcomedAt = slotTime(sl.times[tUserWelcomed])
}

// entry unpacks the slot. Its strings share the packed string (strings are
// immutable); the menu path and clarify list are a fresh allocation the
// caller owns.
func (sl *cacheSlot) entry() entry {
	var e entry
	r := unpacker{s: sl.strs, p: int(sl.keyLen)}
	e.user = User{Key: sl.key(), BotID: r.str(), PlusfriendKey: r.str(), AppUserID: r.str()}
	sl.userScalars(&e.user)
	c := &e.conv
	c.State, c.CSATPending, c.HandoffID, c.Queue, c.ConfigVersion = fsm.State(r.str()), r.str(), r.str(), r.str(), r.str()
	in := &c.Intake
	in.Step, in.Message, in.HandoffID, in.Field = r.str(), r.str(), r.str(), r.str()
	in.Reason, in.Passed, in.Pref = r.str(), r.str(), r.str()
	c.UserKey = r.str()
	if sl.flags&slotConvKeyDiff == 0 {
		c.UserKey = e.user.Key
	}
	n := r.uvarint()
	p := r.p
	for range n {
		r.str()
	}
	m := r.uvarint()
	if n+m > 0 {
		buf := make([]string, n+m)
		r.p = p
		for i := range n {
			buf[i] = r.str()
		}
		r.uvarint()
		for i := range m {
			buf[n+i] = r.str()
		}
		if n > 0 {
			e.conv.MenuPath = buf[:n:n]
		}
		if m > 0 {
			e.conv.Clarify = buf[n:]
		}
	}
	e.conv.FAQMisses = int(sl.faqMisses)
	e.conv.Version = sl.version
	e.conv.Intake.Retried = sl.flags&slotRetried != 0
	e.conv.StateSince = slotTime(sl.times[tStateSince])
	e.conv.LastTurnAt = slotTime(sl.times[tLastTurnAt])
	e.conv.WelcomedAt = slotTime(sl.times[tConvWelcomed])
	e.lastTurn = sl.lastTurn
	e.dirty, e.userDirty = sl.dirty, sl.userDirty
	return e
}

func slotTime(ms int64) time.Time {
	if ms == noTime {
		return time.Time{}
	}
	return fromMS(ms)
}

// unpacker reads a slot's packed strings in order. The packing is the
// cache's own, so it is trusted: a bad offset is a bug and panics.
type unpacker struct {
	s string
	p int
}

func (r *unpacker) uvarint() int {
	var v, shift uint
	for {
		c := r.s[r.p]
		r.p++
		v |= uint(c&0x7f) << shift
		if c < 0x80 {
			return int(v)
		}
		shift += 7
	}
}

func (r *unpacker) str() string {
	n := r.uvarint()
	s := r.s[r.p : r.p+n]
	r.p += n
	return s
}

func uvarintLen(n int) int {
	l := 1
	for ; n >= 0x80; n >>= 7 {
		l++
	}
	return l
}

func strLen(s string) int { return uvarintLen(len(s)) + len(s) }

func writeUvarint(b *strings.Builder, n int) {
	for ; n >= 0x80; n >>= 7 {
		b.WriteByte(byte(n) | 0x80)
	}
	b.WriteByte(byte(n))
}

func writeStr(b *strings.Builder, s string) {
	writeUvarint(b, len(s))
	b.WriteString(s)
}
