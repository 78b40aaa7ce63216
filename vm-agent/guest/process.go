package main

import (
	"os"
	"os/exec"
	"sort"
	"syscall"
)

// baseEnv is what every command starts from; a request's variables are laid over it.
var baseEnv = map[string]string{
	"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME": "/workspace",
	"LANG": "C.UTF-8",
	"TERM": "xterm-256color",
}

// inDirectory changes to $1 as a shell would (a missing one: its message and status 126, like
// a command that cannot run), then runs $2.
const inDirectory = `cd -- "$1" || exit 126; exec /bin/sh -c "$2"`

// shell builds `/bin/sh -c command` in its own session (so a kill reaches all it started), as
// the configured user, in cwd (the root when empty), with the base environment plus env.
func (a *Agent) shell(command, cwd string, env map[string]string) *exec.Cmd {
	dir := a.Root
	if cwd != "" {
		dir = a.resolve(cwd)
	}
	cmd := exec.Command("/bin/sh", "-c", inDirectory, "chaser", dir, command)
	cmd.Dir = "/"
	merged := map[string]string{}
	for k, v := range baseEnv {
		merged[k] = v
	}
	for k, v := range env {
		merged[k] = v
	}
	keys := make([]string, 0, len(merged))
	for k := range merged {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmd.Env = append(cmd.Env, k+"="+merged[k])
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if a.User.UID >= 0 && a.User.UID != os.Getuid() {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(a.User.UID), Gid: uint32(a.User.GID)}
	}
	return cmd
}

// killGroup signals the command's whole session (its process group: Setsid made it the leader).
func killGroup(cmd *exec.Cmd, signal syscall.Signal) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, signal)
	}
}

// exitCode is the command's status as a shell reports it: 128+signal when a signal ended it.
func exitCode(state *os.ProcessState) int {
	if state == nil {
		return -1
	}
	if status, ok := state.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return 128 + int(status.Signal())
	}
	return state.ExitCode()
}
