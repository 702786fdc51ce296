package skill

import (
	"bytes"
	"encoding/json"
	"sync"
)

// pooledEncoder is a JSON encoder without HTML escaping and its buffer,
// reused across responses: a response is encoded into the grown buffer and
// copied out once at its exact size.
type pooledEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
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
	encoderPool.Put(e)
}
