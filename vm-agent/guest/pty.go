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
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// Frames on a terminal connection after the upgrade: one type byte, a 4-byte big-endian length,
// then the payload. Client to agent: data (keystrokes) and resize ({"cols","rows"}); agent to
// client: data (what the terminal prints) and, last, exit ({"exit_code"}).
const (
	FrameData   byte = 0
	FrameResize byte = 1
	FrameExit   byte = 2
)

// pty: GET ?cols=&rows=&command=&cwd=&env= (a JSON object) with `Connection: Upgrade`, `Upgrade: chaser-pty` -> 101, then
// frames. Without command it runs a login shell (bash if the image has it, else sh).
func (a *Agent) pty(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Upgrade") != "chaser-pty" {
		fail(w, http.StatusBadRequest, "invalid_request", "send Connection: Upgrade and Upgrade: chaser-pty")
		return
	}
	cols, rows := dimension(r.URL.Query().Get("cols"), 80), dimension(r.URL.Query().Get("rows"), 24)
	command := r.URL.Query().Get("command")
	if command == "" {
		command = "if command -v bash >/dev/null; then exec bash -l; else exec sh -l; fi"
	}
	master, slave, err := openPty()
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal", "no terminal: "+err.Error())
		return
	}
	defer master.Close()
	_ = setSize(master, cols, rows)
	var env map[string]string
	if raw := r.URL.Query().Get("env"); raw != "" {
		if json.Unmarshal([]byte(raw), &env) != nil {
			fail(w, http.StatusBadRequest, "invalid_request", "env must be a JSON object of strings")
			slave.Close()
			return
		}
	}
	cmd := a.shell(command, r.URL.Query().Get("cwd"), env)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr.Setctty = true
	cmd.SysProcAttr.Ctty = 0
	err = cmd.Start()
	slave.Close()
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid_request", "the terminal's command could not start: "+err.Error())
		return
	}
	conn, buffered, err := w.(http.Hijacker).Hijack()
	if err != nil {
		killGroup(cmd, syscall.SIGKILL)
		_ = cmd.Wait()
		return
	}
	defer conn.Close()
	_, _ = conn.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: chaser-pty\r\n\r\n"))
	var writing sync.Mutex
	ended := false // after the exit frame nothing more goes out
	send := func(kind byte, payload []byte) error {
		writing.Lock()
		defer writing.Unlock()
		if ended {
			return errors.New("the terminal has ended")
		}
		if kind == FrameExit {
			ended = true
		}
		return writeFrame(conn, kind, payload)
	}
	printed := make(chan struct{})
	go func() { // what the terminal prints, until the command and everything on the terminal is gone
		defer close(printed)
		buf := make([]byte, 32<<10)
		for {
			n, err := master.Read(buf)
			if n > 0 && send(FrameData, buf[:n]) != nil {
				return
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { // keystrokes and resizes; a closed connection hangs the terminal up
		defer killGroup(cmd, syscall.SIGHUP)
		reader := bufio.NewReader(buffered)
		for {
			kind, payload, err := readFrame(reader)
			if err != nil {
				return
			}
			switch kind {
			case FrameData:
				_, _ = master.Write(payload)
			case FrameResize:
				var size struct{ Cols, Rows int }
				if json.Unmarshal(payload, &size) == nil {
					_ = setSize(master, size.Cols, size.Rows)
				}
			}
		}
	}()
	_ = cmd.Wait()
	// what is still on the terminal goes with it. Everything it printed goes out before the exit
	// frame, also when the reader is starved for a while under load: it ends once the terminal's
	// last holder is gone; only when something the command left keeps the terminal open for
	// seconds does the exit go first (and nothing after it)
	killGroup(cmd, syscall.SIGHUP)
	select {
	case <-printed:
	case <-time.After(3 * time.Second):
	}
	exit, _ := json.Marshal(map[string]int{"exit_code": exitCode(cmd.ProcessState)})
	_ = send(FrameExit, exit)
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
