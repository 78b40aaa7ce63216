package main

import (
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Terminals are this sandbox's terminals by id. A terminal outlives its connection for the grace
// period (a client, gateway or host agent that drops comes back and attaches again); what it
// prints meanwhile is kept and replayed from the offset the new connection asks. At most keep bytes
// wait unsent: beyond that the terminal is not read, so its command waits as on a real terminal
// whose reader is slow (nothing unsent is ever dropped: an sftp download is a binary stream on a
// raw terminal), and keep bytes before what was sent stay for a connection that attaches again.
type Terminals struct {
	mu    sync.Mutex
	byID  map[string]*Terminal
	grace time.Duration
	keep  int
}

func NewTerminals(grace time.Duration, keep int) *Terminals {
	return &Terminals{byID: map[string]*Terminal{}, grace: grace, keep: keep}
}

// Terminal is one pseudo-terminal, its command and the tail of what it printed.
type Terminal struct {
	id      string
	master  *os.File
	cmd     *exec.Cmd
	mu      sync.Mutex
	changed *sync.Cond
	kept    []byte
	start   int64 // output offset of kept[0]
	end     int64 // output offset after the last byte printed
	printed bool  // the terminal's last holder is gone: nothing more comes
	held    bool  // the reader waits: keep bytes are unsent
	closed  bool  // the terminal's master is closed: the reader stops waiting
	exit    *int
	current int   // the attached connection's generation, 0 while none is
	count   int   // generations handed out
	sent    int64 // what the last connection wrote
}

func (ts *Terminals) start(master *os.File, cmd *exec.Cmd) *Terminal {
	t := &Terminal{id: newID(), master: master, cmd: cmd}
	t.changed = sync.NewCond(&t.mu)
	ts.mu.Lock()
	ts.byID[t.id] = t
	ts.mu.Unlock()
	go t.read(ts.keep)
	go t.wait()
	return t
}

func (ts *Terminals) get(id string) *Terminal {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.byID[id]
}

// forget makes a terminal unattachable (it was hung up on purpose).
func (ts *Terminals) forget(t *Terminal) {
	ts.mu.Lock()
	delete(ts.byID, t.id)
	ts.mu.Unlock()
}

// ended forgets a terminal whose exit has been sent.
func (ts *Terminals) ended(t *Terminal) {
	ts.mu.Lock()
	delete(ts.byID, t.id)
	ts.mu.Unlock()
	t.close()
}

// read keeps what the terminal prints while at most keep bytes of it wait unsent.
func (t *Terminal) read(keep int) {
	buf := make([]byte, 32<<10)
	for {
		t.mu.Lock()
		for t.end-t.sent >= int64(keep) && !t.closed {
			t.held = true
			t.changed.Wait()
		}
		t.held = false
		t.mu.Unlock()
		n, err := t.master.Read(buf)
		t.mu.Lock()
		if n > 0 {
			t.kept = append(t.kept, buf[:n]...)
			t.end += int64(n)
			if floor := t.sent - int64(keep); floor-t.start > int64(keep) {
				t.kept = append([]byte(nil), t.kept[floor-t.start:]...)
				t.start = floor
			}
		}
		if err != nil {
			t.printed = true
		}
		t.changed.Broadcast()
		t.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// close ends the terminal's master (a reader held back stops waiting and sees it closed).
func (t *Terminal) close() {
	t.mu.Lock()
	t.closed = true
	t.changed.Broadcast()
	t.mu.Unlock()
	t.master.Close()
}

// wait records the exit once everything on the terminal is gone too (at most 3 s after the command:
// something the command left may keep the terminal open, then the exit goes first; not while the
// reader is held back: what the command printed is still to come).
func (t *Terminal) wait() {
	_ = t.cmd.Wait()
	killGroup(t.cmd, syscall.SIGHUP)
	late := false
	timer := time.AfterFunc(3*time.Second, func() {
		t.mu.Lock()
		late = true
		t.changed.Broadcast()
		t.mu.Unlock()
	})
	defer timer.Stop()
	t.mu.Lock()
	defer t.mu.Unlock()
	for !t.printed && !(late && !t.held) {
		t.changed.Wait()
	}
	code := exitCode(t.cmd.ProcessState)
	t.exit = &code
	t.changed.Broadcast()
}

// attach makes a new connection the terminal's one (an earlier one stops receiving); its generation.
func (t *Terminal) attach() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.count++
	t.current = t.count
	t.changed.Broadcast()
	return t.current
}

// detach: the connection of `generation` dropped. Unless another attaches within the grace
// period, the terminal is hung up (SIGHUP to its command) and forgotten.
func (t *Terminal) detach(generation int, ts *Terminals) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current != generation {
		return
	}
	t.current = 0
	t.changed.Broadcast()
	time.AfterFunc(ts.grace, func() {
		t.mu.Lock()
		abandoned := t.current == 0 && t.count == generation
		t.mu.Unlock()
		if abandoned {
			ts.mu.Lock()
			delete(ts.byID, t.id)
			ts.mu.Unlock()
			killGroup(t.cmd, syscall.SIGHUP)
			t.close()
		}
	})
}

// next is what the connection of `generation` sends after `from`: printed bytes (and the offset
// after them), else the exit code once there is one; waits for either. ok is false once the
// connection is no longer the terminal's.
func (t *Terminal) next(from int64, generation int) (data []byte, next int64, exit *int, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		if t.current != generation {
			return nil, from, nil, false
		}
		if from < t.start {
			from = t.start // older output is no longer kept
		}
		if from < t.end {
			chunk := t.kept[from-t.start:]
			if len(chunk) > 64<<10 {
				chunk = chunk[:64<<10]
			}
			return append([]byte(nil), chunk...), from + int64(len(chunk)), nil, true
		}
		if t.exit != nil {
			return nil, from, t.exit, true
		}
		t.changed.Wait()
	}
}

func (t *Terminal) wrote(generation int, offset int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.current == generation {
		t.sent = offset
		t.changed.Broadcast() // a reader held back may read on
	}
}

// delivered is the offset the last connection had written up to.
func (t *Terminal) delivered() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sent
}

// clamp is `from` within what is kept.
func (t *Terminal) clamp(from int64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if from > t.end {
		return t.end
	}
	if from < t.start {
		return t.start
	}
	return from
}
