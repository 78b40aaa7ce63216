package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// Frames on a terminal connection after the upgrade: one type byte, a 4-byte big-endian length,
// then the payload. Client to agent: data (keystrokes), resize ({"cols","rows"}) and hangup (the
// terminal ends now: SIGHUP, as a closed window); agent to client: data (what the terminal prints)
// and, last, exit ({"exit_code"}).
const (
	FrameData   byte = 0
	FrameResize byte = 1
	FrameExit   byte = 2
	FrameHangup byte = 3
)

// pty: GET ?cols=&rows=&command=&cwd=&env= (a JSON object) with `Connection: Upgrade`, `Upgrade: chaser-pty` -> 101, then
// frames. Without command it runs a login shell (bash if the image has it, else sh). The 101 names
// the terminal (X-Chaser-Pty-Id) and the output offset its frames start at (X-Chaser-Pty-Offset).
// GET ?attach=ID&offset=N joins a terminal again after its connection dropped, within the grace
// period: what it printed from N on (as far as it is kept) comes first, then the rest.
func (a *Agent) pty(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Upgrade") != "chaser-pty" {
		fail(w, http.StatusBadRequest, "invalid_request", "send Connection: Upgrade and Upgrade: chaser-pty")
		return
	}
	if id := r.URL.Query().Get("attach"); id != "" {
		t := a.Terminals.get(id)
		if t == nil {
			fail(w, http.StatusNotFound, "pty_not_found", "no terminal "+id+" (it ended, or its grace period passed)")
			return
		}
		offset, err := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
		if err != nil || offset < 0 {
			offset = t.delivered()
		}
		a.serve(w, t, offset)
		return
	}
	cols, rows := dimension(r.URL.Query().Get("cols"), 80), dimension(r.URL.Query().Get("rows"), 24)
	command := r.URL.Query().Get("command")
	if command == "" {
		command = "if command -v bash >/dev/null; then exec bash -l; else exec sh -l; fi"
	}
	var env map[string]string
	if raw := r.URL.Query().Get("env"); raw != "" {
		if json.Unmarshal([]byte(raw), &env) != nil {
			fail(w, http.StatusBadRequest, "invalid_request", "env must be a JSON object of strings")
			return
		}
	}
	master, slave, err := openPty()
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal", "no terminal: "+err.Error())
		return
	}
	_ = setSize(master, cols, rows)
	cmd := a.shell(command, r.URL.Query().Get("cwd"), env)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr.Setctty = true
	cmd.SysProcAttr.Ctty = 0
	err = cmd.Start()
	slave.Close()
	if err != nil {
		master.Close()
		fail(w, http.StatusBadRequest, "invalid_request", "the terminal's command could not start: "+err.Error())
		return
	}
	a.serve(w, a.Terminals.start(master, cmd), 0)
}

// serve joins the connection to the terminal from output offset `from` until the terminal ends
// (its exit frame sent) or the connection drops (the terminal waits for another for the grace period).
func (a *Agent) serve(w http.ResponseWriter, t *Terminal, from int64) {
	conn, buffered, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	from = t.clamp(from)
	_, _ = conn.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: chaser-pty\r\n" +
		"X-Chaser-Pty-Id: " + t.id + "\r\nX-Chaser-Pty-Offset: " + strconv.FormatInt(from, 10) + "\r\n\r\n"))
	generation := t.attach()
	go func() { // keystrokes and resizes until the connection drops
		defer t.detach(generation, a.Terminals)
		reader := bufio.NewReader(buffered)
		for {
			kind, payload, err := readFrame(reader)
			if err != nil {
				return
			}
			switch kind {
			case FrameData:
				_, _ = t.master.Write(payload)
			case FrameResize:
				var size struct{ Cols, Rows int }
				if json.Unmarshal(payload, &size) == nil {
					_ = setSize(t.master, size.Cols, size.Rows)
				}
			case FrameHangup: // closed on purpose: nothing attaches to it again
				a.Terminals.forget(t)
				killGroup(t.cmd, syscall.SIGHUP)
			}
		}
	}()
	for {
		data, next, exit, ok := t.next(from, generation)
		if !ok {
			return // another connection took the terminal over, or this one dropped
		}
		if len(data) > 0 {
			if writeFrame(conn, FrameData, data) != nil {
				return
			}
			t.wrote(generation, next)
			from = next
			continue
		}
		if exit != nil {
			// unattachable before the exit can reach the client: one who saw it and attaches gets 404
			a.Terminals.forget(t)
			payload, _ := json.Marshal(map[string]int{"exit_code": *exit})
			_ = writeFrame(conn, FrameExit, payload)
			a.Terminals.ended(t)
			return
		}
	}
}

func dimension(value string, fallback int) int {
	if n, err := strconv.Atoi(value); err == nil && n > 0 && n <= 1000 {
		return n
	}
	return fallback
}

func writeFrame(w io.Writer, kind byte, payload []byte) error {
	header := make([]byte, 5)
	header[0] = kind
	binary.BigEndian.PutUint32(header[1:], uint32(len(payload)))
	if _, err := w.Write(append(header, payload...)); err != nil {
		return err
	}
	return nil
}

func readFrame(r *bufio.Reader) (byte, []byte, error) {
	header := make([]byte, 5)
	if _, err := io.ReadFull(r, header); err != nil {
		return 0, nil, err
	}
	size := binary.BigEndian.Uint32(header[1:])
	if size > 1<<20 {
		return 0, nil, errors.New("frame too large")
	}
	payload := make([]byte, size)
	_, err := io.ReadFull(r, payload)
	return header[0], payload, err
}

// openPty opens a new pseudo-terminal pair (posix_openpt, unlockpt, ptsname without cgo).
func openPty() (*os.File, *os.File, error) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	unlock := 0
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	var number uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&number))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", number), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}

func setSize(terminal *os.File, cols, rows int) error {
	size := struct{ rows, cols, x, y uint16 }{uint16(rows), uint16(cols), 0, 0}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, terminal.Fd(), syscall.TIOCSWINSZ, uintptr(unsafe.Pointer(&size))); e != 0 {
		return e
	}
	return nil
}
