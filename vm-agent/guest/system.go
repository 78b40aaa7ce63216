package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// hostSystem changes the guest itself: its network with busybox ip (beside the agent's binary in a
// microVM), its hostname, clock and random number generator.
type hostSystem struct{}

// rndReseedCrng is RNDRESEEDCRNG (linux/random.h): _IO('R', 0x07).
const rndReseedCrng = 0x5207

func (hostSystem) SetAddress(cidr, gateway string) error {
	steps := [][]string{
		{"ip", "route", "flush", "dev", "eth0"},
		{"ip", "addr", "flush", "dev", "eth0"},
		{"ip", "addr", "add", cidr, "dev", "eth0"},
		{"ip", "link", "set", "eth0", "up"},
		{"ip", "route", "add", "default", "via", gateway},
	}
	for _, step := range steps {
		if out, err := busybox(step...).CombinedOutput(); err != nil {
			return errors.New(strings.Join(step, " ") + ": " + strings.TrimSpace(string(out)) + " " + err.Error())
		}
	}
	return nil
}

func (hostSystem) SetHostname(name string) error {
	return syscall.Sethostname([]byte(name))
}

func (hostSystem) SetClock(unixMs int64) error {
	tv := syscall.NsecToTimeval(unixMs * int64(time.Millisecond))
	return syscall.Settimeofday(&tv)
}

// Reseed mixes the host's bytes into the kernel's pool and reseeds the generator from it at once,
// so a fork's random numbers part from its parent's and its siblings'.
func (hostSystem) Reseed(seed []byte) error {
	pool, err := os.OpenFile("/dev/urandom", os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := pool.Write(seed); err != nil {
		return err
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, pool.Fd(), rndReseedCrng, 0); errno != 0 {
		return errors.New("RNDRESEEDCRNG: " + errno.Error())
	}
	return nil
}

// busybox runs an applet of the busybox beside this binary when there is one (a microVM's), else from PATH.
func busybox(argv ...string) *exec.Cmd {
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), "busybox")
		if _, err := os.Stat(beside); err == nil {
			return exec.Command(beside, argv...)
		}
	}
	return exec.Command(argv[0], argv[1:]...)
}
