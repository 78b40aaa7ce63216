package main

import (
	"net/http"
	"os"
	"sync"
	"syscall"
	"time"
)

// The fsfreeze ioctls (linux/fs.h): _IOWR('X', 119, int) and _IOWR('X', 120, int).
const (
	fifreeze = 0xC0045877
	fithaw   = 0xC0045878
)

// Freezer holds the workspace's file system frozen between a pause's freeze and the thaw after
// resume. A freeze thaws itself after its deadline (the guest's clock), so a pause that fails
// half way leaves nothing blocked for long; after a resume that deadline has usually passed too.
type Freezer struct {
	mu    sync.Mutex
	timer *time.Timer
}

type freezeRequest struct {
	ThawAfterMs int64 `json:"thaw_after_ms"`
}

type thawRequest struct {
	NowUnixMs int64 `json:"now_unix_ms"`
}

// freeze: POST /v1/freeze {thaw_after_ms?} writes every dirty page out (sync), then freezes the
// file system under the agent's root, so the disk holds what memory says it holds.
func (a *Agent) freeze(w http.ResponseWriter, r *http.Request) {
	var req freezeRequest
	if !decode(w, r, &req) {
		return
	}
	after := time.Duration(req.ThawAfterMs) * time.Millisecond
	if after <= 0 || after > 5*time.Minute {
		after = 30 * time.Second
	}
	syscall.Sync()
	if err := fsIoctl(a.Root, fifreeze); err != nil && err != syscall.EBUSY { // EBUSY: already frozen
		fail(w, http.StatusInternalServerError, "freeze_failed", "cannot freeze "+a.Root+": "+err.Error())
		return
	}
	a.Freezer.mu.Lock()
	if a.Freezer.timer != nil {
		a.Freezer.timer.Stop()
	}
	root := a.Root
	a.Freezer.timer = time.AfterFunc(after, func() { _ = fsIoctl(root, fithaw) })
	a.Freezer.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]bool{"frozen": true})
}

// thaw: POST /v1/thaw {now_unix_ms?} thaws the file system (fine when it is not frozen) and, when
// given, sets the clock: a VM resumed after a while may not have noticed the time that passed.
func (a *Agent) thaw(w http.ResponseWriter, r *http.Request) {
	var req thawRequest
	if !decode(w, r, &req) {
		return
	}
	a.Freezer.mu.Lock()
	if a.Freezer.timer != nil {
		a.Freezer.timer.Stop()
		a.Freezer.timer = nil
	}
	a.Freezer.mu.Unlock()
	if err := fsIoctl(a.Root, fithaw); err != nil && err != syscall.EINVAL { // EINVAL: not frozen
		fail(w, http.StatusInternalServerError, "thaw_failed", "cannot thaw "+a.Root+": "+err.Error())
		return
	}
	if req.NowUnixMs > 0 {
		tv := syscall.NsecToTimeval(req.NowUnixMs * int64(time.Millisecond))
		if err := syscall.Settimeofday(&tv); err != nil {
			fail(w, http.StatusInternalServerError, "clock_failed", "cannot set the clock: "+err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]bool{"frozen": false})
}

func fsIoctl(path string, request uintptr) error {
	dir, err := os.Open(path)
	if err != nil {
		return err
	}
	defer dir.Close()
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, dir.Fd(), request, 0); errno != 0 {
		return errno
	}
	return nil
}
