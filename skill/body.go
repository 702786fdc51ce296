package skill

import (
	"bytes"
	"io"
	"net/http"
	"sync"
)

// bodyPool recycles request body buffers: Decode copies everything it keeps
// (strings and json.RawMessage alike), so a body is garbage once decoded.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer put back in bodyPool; rarer big
// bodies are left to the collector so the pool stays small.
const maxPooledBody = 16 << 10

// readDecode reads and decodes r's body (at most MaxBody bytes) into a
// pooled buffer; tooLarge reports a bigger body, readErr a failed read and
// decodeErr a body that is not a payload.
func readDecode(r *http.Request) (p *Payload, tooLarge bool, readErr, decodeErr error) {
	if r.ContentLength > MaxBody {
		return nil, true, nil, nil
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBody {
			buf.Reset()
			bodyPool.Put(buf)
		}
	}()
	buf.Reset()
	if r.ContentLength > 0 {
		// ReadFrom wants MinRead bytes free before it sees EOF; without
		// them every body would be copied once more into a doubled buffer.
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, false, err, nil
	}
	if n > MaxBody {
		return nil, true, nil, nil
	}
	p, err = Decode(buf.Bytes())
	return p, false, nil, err
}
