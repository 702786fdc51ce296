package skill

import (
	"bytes"
	"encoding/json"
	"sync"
)

// pooledEncoder is a JSON encoder without HTML escaping and its buffer,
// reused across responses: a response is encoded into the grown buffer and
// copied out once at its exact size.
//
// It also holds scratch space for the wire form of one response, filled
// just before the response is encoded into buf and dead after (so no
// response allocates its wire structs), and for the quick replies whose
// taps buf holds (tapExtras). put clears it: nothing of a response stays
// reachable from the pool.
type pooledEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder

	resp    responseWire
	tmpl    templateWire
	outs    [MaxOutputs]outputWire
	wquick  [MaxQuickReplies]quickReplyWire
	replies [MaxQuickReplies]QuickReply
}

// maxPooledEncoder is the largest buffer kept for reuse.
const maxPooledEncoder = 64 << 10

var encoderPool = sync.Pool{New: func() any {
	e := &pooledEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

func (e *pooledEncoder) put() {
	if e.buf.Cap() > maxPooledEncoder {
		return
	}
	e.buf.Reset()
	e.resp, e.tmpl = responseWire{}, templateWire{}
	clear(e.outs[:])
	clear(e.wquick[:])
	clear(e.replies[:])
	encoderPool.Put(e)
}
