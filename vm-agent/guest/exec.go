package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// ExecOutputDefault is what a foreground command returns of its combined output unless the
// request asks for another amount (max_output_bytes, at most ExecOutputMax).
const (
	ExecOutputDefault = 1 << 20
	ExecOutputMax     = 16 << 20
)

type execRequest struct {
	Command   string            `json:"command"`
	Cwd       string            `json:"cwd"`
	Env       map[string]string `json:"env"`
	TimeoutMs int64             `json:"timeout_ms"`
	MaxOutput int               `json:"max_output_bytes"`
}

type execResponse struct {
	ExitCode        int    `json:"exit_code"`
	Output          string `json:"output"`
	OutputTruncated bool   `json:"output_truncated"`
	TimedOut        bool   `json:"timed_out"`
}

// cappedBuffer keeps the first max bytes written to it and counts what it dropped.
type cappedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	max     int
	dropped bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := c.max - c.buf.Len()
	if room < len(p) {
		c.dropped = true
		if room > 0 {
			c.buf.Write(p[:room])
		}
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}

// decodeCommand reads a {command, cwd?, env?, timeout_ms?} body; a command is required.
func decodeCommand(w http.ResponseWriter, r *http.Request) (execRequest, bool) {
	var req execRequest
	if !decode(w, r, &req) {
		return req, false
	}
	if req.Command == "" {
		fail(w, http.StatusBadRequest, "invalid_request", "command is required")
		return req, false
	}
	return req, true
}

// exec runs one command to its end: POST {command, cwd?, env?, timeout_ms?, max_output_bytes?} ->
// {exit_code, output (base64 of stdout and stderr combined, 1 MiB unless asked otherwise, at most
// 16 MiB), output_truncated, timed_out}.
// At the deadline the command's whole session is killed (exit code 137); without one, what it
// started in the background keeps running.
func (a *Agent) exec(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeCommand(w, r)
	if !ok {
		return
	}
	cmd := a.shell(req.Command, req.Cwd, req.Env)
	limit := req.MaxOutput
	if limit <= 0 {
		limit = ExecOutputDefault
	}
	if limit > ExecOutputMax {
		limit = ExecOutputMax
	}
	out := &cappedBuffer{max: limit}
	// a pipe of our own, not cmd's: children the command leaves running in the background keep
	// their copy of it, and the answer must not wait for them
	reader, writer, err := os.Pipe()
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	defer reader.Close()
	cmd.Stdout, cmd.Stderr = writer, writer
	err = cmd.Start()
	writer.Close()
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid_request", "the command could not start: "+err.Error())
		return
	}
	copied := make(chan struct{})
	go func() {
		copierStarts()
		_, _ = io.Copy(out, reader)
		close(copied)
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timeout := time.Duration(req.TimeoutMs) * time.Millisecond
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	timedOut := false
	select {
	case <-done:
	case <-time.After(timeout):
		timedOut = true
		killGroup(cmd, syscall.SIGKILL)
		<-done
	case <-r.Context().Done():
		killGroup(cmd, syscall.SIGKILL)
		<-done
		return
	}
	// what the command wrote is in the pipe; a background child may hold it open for longer, so the
	// copy stops soon, and what it had not read yet (a busy machine schedules it late) is drained
	_ = reader.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	<-copied
	drainPipe(reader, out)
	out.mu.Lock()
	defer out.mu.Unlock()
	writeJSON(w, http.StatusOK, execResponse{ExitCode: exitCode(cmd.ProcessState),
		Output: base64.StdEncoding.EncodeToString(out.buf.Bytes()), OutputTruncated: out.dropped, TimedOut: timedOut})
}

// copierStarts runs as an exec's output copier starts (tests delay it, as a busy machine does).
var copierStarts = func() {}

// drainPipe copies what is in the pipe now, without waiting for more: a command that exited wrote
// all of its output before, even when the copy gave up at its deadline before reading it.
func drainPipe(pipe *os.File, out io.Writer) {
	_ = pipe.SetReadDeadline(time.Time{}) // reads below take only what is there: none waits
	raw, err := pipe.SyscallConn()
	if err != nil {
		return
	}
	buf := make([]byte, 64<<10)
	// at most a pipe's largest buffer: what the command wrote is all there; a background child
	// writing on cannot keep the answer waiting
	for budget := 1 << 20; budget > 0; {
		pending := 0
		_ = raw.Control(func(fd uintptr) {
			var n int32
			if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); errno == 0 {
				pending = int(n)
			}
		})
		if pending <= 0 {
			return
		}
		if pending > len(buf) {
			pending = len(buf)
		}
		if pending > budget {
			pending = budget
		}
		var n int
		_ = raw.Read(func(fd uintptr) bool {
			n, _ = syscall.Read(int(fd), buf[:pending])
			return true
		})
		if n <= 0 {
			return
		}
		budget -= n
		_, _ = out.Write(buf[:n])
	}
}
