package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Command is one background command and its output.
type Command struct {
	ID         string `json:"command_id"`
	Pid        int    `json:"pid"`
	Line       string `json:"command"`
	Status     string `json:"status"`
	ExitCode   *int   `json:"exit_code"`
	StartedAt  string `json:"started_at"`
	FinishedAt string `json:"finished_at,omitempty"`
	cmd        *exec.Cmd
	stdin      io.WriteCloser
	output     *Output
}

// Commands is the agent's table of background commands.
type Commands struct {
	mu   sync.Mutex
	byID map[string]*Command
}

func NewCommands() *Commands {
	return &Commands{byID: map[string]*Command{}}
}

func (c *Commands) get(id string) *Command {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byID[id]
}

func (c *Commands) snapshot(cmd *Command) Command {
	c.mu.Lock()
	defer c.mu.Unlock()
	state := *cmd
	return state
}

// commands: POST {command, cwd?, env?} starts one -> {command_id, pid}; GET lists them.
func (a *Agent) commands(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		a.Commands.mu.Lock()
		list := []Command{}
		for _, c := range a.Commands.byID {
			list = append(list, *c)
		}
		a.Commands.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]interface{}{"data": list})
		return
	}
	req, ok := decodeCommand(w, r)
	if !ok {
		return
	}
	id := newID()
	output, err := NewOutput(filepath.Join(a.StateDir, id+".out"), a.OutputMax)
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	cmd := a.shell(req.Command, req.Cwd, req.Env)
	// pipes of our own: the command has exited when its process has, even if children it left
	// running still write (their output is kept until they close it)
	outRead, outWrite, err1 := os.Pipe()
	errRead, errWrite, err2 := os.Pipe()
	if err1 != nil || err2 != nil {
		fail(w, http.StatusInternalServerError, "internal", "no pipe for the command's output")
		return
	}
	cmd.Stdout, cmd.Stderr = outWrite, errWrite
	stdin, _ := cmd.StdinPipe()
	err = cmd.Start()
	outWrite.Close()
	errWrite.Close()
	if err != nil {
		outRead.Close()
		errRead.Close()
		output.end()
		fail(w, http.StatusBadRequest, "invalid_request", "the command could not start: "+err.Error())
		return
	}
	var copying sync.WaitGroup
	for _, stream := range []struct {
		from   *os.File
		stderr bool
	}{{outRead, false}, {errRead, true}} {
		copying.Add(1)
		go func(from *os.File, stderr bool) {
			defer copying.Done()
			defer from.Close()
			_, _ = io.Copy(streamWriter{output, stderr}, from)
		}(stream.from, stream.stderr)
	}
	started := &Command{ID: id, Pid: cmd.Process.Pid, Line: req.Command, Status: "running",
		StartedAt: time.Now().UTC().Format(time.RFC3339Nano), cmd: cmd, stdin: stdin, output: output}
	a.Commands.mu.Lock()
	a.Commands.byID[id] = started
	a.Commands.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		code := exitCode(cmd.ProcessState)
		a.Commands.mu.Lock()
		started.Status, started.ExitCode = "exited", &code
		started.FinishedAt = time.Now().UTC().Format(time.RFC3339Nano)
		a.Commands.mu.Unlock()
		copying.Wait()
		output.end()
	}()
	writeJSON(w, http.StatusOK, map[string]interface{}{"command_id": id, "pid": started.Pid})
}

// command: GET /v1/commands/{id}, DELETE /v1/commands/{id} (a finished one and its output),
// GET .../output?offset=&wait_ms=, POST .../stdin {data, eof}, POST .../kill {signal}.
func (a *Agent) command(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v1/commands/"), "/")
	found := a.Commands.get(parts[0])
	if found == nil {
		fail(w, http.StatusNotFound, "command_not_found", "no command "+parts[0]+" in this sandbox")
		return
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, a.Commands.snapshot(found))
	case len(parts) == 1 && r.Method == http.MethodDelete:
		a.Commands.mu.Lock()
		if found.Status == "running" {
			a.Commands.mu.Unlock()
			fail(w, http.StatusConflict, "command_running", "kill the command first")
			return
		}
		delete(a.Commands.byID, found.ID)
		a.Commands.mu.Unlock()
		found.output.discard()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	case len(parts) == 2 && parts[1] == "output" && r.Method == http.MethodGet:
		offset, _ := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
		waitMs, _ := strconv.ParseInt(r.URL.Query().Get("wait_ms"), 10, 64)
		chunks, ended := found.output.Read(offset, 1<<20, time.Duration(waitMs)*time.Millisecond)
		state := a.Commands.snapshot(found)
		writeJSON(w, http.StatusOK, map[string]interface{}{"chunks": chunks, "ended": ended, "exit_code": state.ExitCode})
	case len(parts) == 2 && parts[1] == "stdin":
		var req struct {
			Data string `json:"data"`
			EOF  bool   `json:"eof"`
		}
		if !decode(w, r, &req) {
			return
		}
		data, err := base64.StdEncoding.DecodeString(req.Data)
		if err != nil {
			fail(w, http.StatusBadRequest, "invalid_request", "data must be base64")
			return
		}
		if _, err := found.stdin.Write(data); err != nil {
			fail(w, http.StatusConflict, "command_not_running", "the command no longer reads its input")
			return
		}
		if req.EOF {
			_ = found.stdin.Close()
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	case len(parts) == 2 && parts[1] == "kill":
		var req struct {
			Signal string `json:"signal"`
		}
		if !decode(w, r, &req) {
			return
		}
		signal, ok := signals[strings.TrimPrefix(strings.ToUpper(req.Signal), "SIG")]
		if req.Signal == "" {
			signal, ok = syscall.SIGTERM, true
		}
		if !ok {
			fail(w, http.StatusBadRequest, "invalid_request", "signal must be TERM, KILL, INT, HUP, QUIT, USR1 or USR2")
			return
		}
		killGroup(found.cmd, signal)
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	default:
		fail(w, http.StatusNotFound, "not_found", "no such route: "+r.URL.Path)
	}
}

var signals = map[string]syscall.Signal{"TERM": syscall.SIGTERM, "KILL": syscall.SIGKILL, "INT": syscall.SIGINT,
	"HUP": syscall.SIGHUP, "QUIT": syscall.SIGQUIT, "USR1": syscall.SIGUSR1, "USR2": syscall.SIGUSR2}

type streamWriter struct {
	output *Output
	stderr bool
}

func (s streamWriter) Write(p []byte) (int, error) {
	s.output.append(s.stderr, p)
	return len(p), nil
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
