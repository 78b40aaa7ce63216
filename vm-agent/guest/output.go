package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Output is a background command's stdout and stderr appended to one file in arrival order (one
// byte-offset space for both), with the runs that say which stream wrote which bytes. Past max
// bytes the rest is dropped after one marker line on stderr.
type Output struct {
	mu        sync.Mutex
	changed   *sync.Cond
	file      *os.File
	max       int64
	size      int64
	runs      []run
	ended     bool
	truncated bool
}

type run struct {
	offset int64
	stderr bool
}

// Chunk is bytes of one stream from an offset.
type Chunk struct {
	Stream string `json:"stream"`
	Offset int64  `json:"offset"`
	Data   []byte `json:"data"`
}

func NewOutput(path string, max int64) (*Output, error) {
	file, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	o := &Output{file: file, max: max}
	o.changed = sync.NewCond(&o.mu)
	return o, nil
}

func (o *Output) append(stderr bool, data []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.truncated || len(data) == 0 {
		return
	}
	if o.size+int64(len(data)) > o.max {
		o.write(stderr, data[:o.max-o.size])
		o.write(true, []byte(fmt.Sprintf("\n[chaser: output truncated after %d bytes; the rest was dropped]\n", o.max)))
		o.truncated = true
		return
	}
	o.write(stderr, data)
}

func (o *Output) write(stderr bool, data []byte) {
	if len(data) == 0 {
		return
	}
	if _, err := o.file.WriteAt(data, o.size); err != nil {
		return
	}
	if len(o.runs) == 0 || o.runs[len(o.runs)-1].stderr != stderr {
		o.runs = append(o.runs, run{offset: o.size, stderr: stderr})
	}
	o.size += int64(len(data))
	o.changed.Broadcast()
}

func (o *Output) end() {
	o.mu.Lock()
	o.ended = true
	o.mu.Unlock()
	o.changed.Broadcast()
}

// Read returns up to max bytes from offset, split where the stream changes, waiting up to wait
// for some when there are none yet; and whether the output has ended.
func (o *Output) Read(offset int64, max int64, wait time.Duration) ([]Chunk, bool) {
	deadline := time.Now().Add(wait)
	timer := time.AfterFunc(wait, func() { o.changed.Broadcast() })
	defer timer.Stop()
	o.mu.Lock()
	defer o.mu.Unlock()
	for offset >= o.size && !o.ended && time.Now().Before(deadline) {
		o.changed.Wait()
	}
	chunks := []Chunk{}
	limit := o.size
	if offset+max < limit {
		limit = offset + max
	}
	for at := offset; at < limit; {
		i := o.runAt(at)
		end := limit
		if i+1 < len(o.runs) && o.runs[i+1].offset < end {
			end = o.runs[i+1].offset
		}
		data := make([]byte, end-at)
		if _, err := o.file.ReadAt(data, at); err != nil {
			break
		}
		stream := "stdout"
		if o.runs[i].stderr {
			stream = "stderr"
		}
		chunks = append(chunks, Chunk{Stream: stream, Offset: at, Data: data})
		at = end
	}
	return chunks, o.ended && limit >= o.size
}

func (o *Output) runAt(offset int64) int {
	lo, hi := 0, len(o.runs)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if o.runs[mid].offset <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// discard closes and removes the output's file (its command is forgotten).
func (o *Output) discard() {
	o.mu.Lock()
	defer o.mu.Unlock()
	name := o.file.Name()
	_ = o.file.Close()
	_ = os.Remove(name)
}
