package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingSystem stands in for the guest's network, hostname, clock and RNG (what a new identity
// changes in a real VM is proved by the vm-agent's fork test, in QEMU).
type recordingSystem struct {
	mu    sync.Mutex
	calls []string
}

func (s *recordingSystem) record(call string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
	return nil
}
func (s *recordingSystem) SetAddress(cidr, gw string) error {
	return s.record("address " + cidr + " " + gw)
}
func (s *recordingSystem) SetHostname(name string) error { return s.record("hostname " + name) }
func (s *recordingSystem) SetClock(ms int64) error       { return s.record("clock") }
func (s *recordingSystem) Reseed(seed []byte) error      { return s.record("reseed") }

func (s *recordingSystem) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// listening serves an agent on 127.0.0.1 through Endpoints, as main does.
func listening(t *testing.T) (*Control, *recordingSystem, string) {
	t.Helper()
	agent := &Agent{Token: testToken, Allowed: peers("127.0.0.1"), User: Identity{UID: -1, GID: -1},
		Root: t.TempDir(), StateDir: t.TempDir(), OutputMax: 1 << 20, Commands: NewCommands(),
		Terminals: NewTerminals(2*time.Second, 64<<10)}
	free, _ := net.Listen("tcp", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(free.Addr().String())
	free.Close()
	endpoints, err := NewEndpoints(agent, &http.Server{Handler: agent.Handler()}, port, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := endpoints.Listen("127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(endpoints.Close)
	system := &recordingSystem{}
	return &Control{Agent: agent, Endpoints: endpoints, System: system, Poll: 10 * time.Millisecond}, system, port
}

func ready(host, port, token string) (int, error) {
	req, _ := http.NewRequest("GET", "http://"+net.JoinHostPort(host, port)+"/v1/ready", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func identity(ip, token string) []byte {
	line, _ := json.Marshal(map[string]interface{}{"op": "identity", "ip": ip, "gateway": "127.0.0.1",
		"hostname": "fork-1", "token": token, "now_unix_ms": time.Now().UnixMilli(),
		"seed": base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))})
	return line
}

func TestANewIdentityMovesTheAgentToItsAddressAndToken(t *testing.T) {
	control, system, port := listening(t)
	if status, err := ready("127.0.0.1", port, testToken); err != nil || status != 200 {
		t.Fatalf("control: the parent's address answers first: %d %v", status, err)
	}
	const forkToken = "fork-token-0123456789"
	if reply := control.Handle(identity("127.0.0.2/8", forkToken)); !reply.Ok {
		t.Fatalf("refused: %s", reply.Error)
	}
	if got := strings.Join(system.list(), ","); got != "reseed,clock,address 127.0.0.2/8 127.0.0.1,hostname fork-1" {
		t.Fatalf("changed in the guest: %s", got)
	}
	if status, err := ready("127.0.0.2", port, forkToken); err != nil || status != 200 {
		t.Fatalf("the new address with the new token: %d %v", status, err)
	}
	if status, _ := ready("127.0.0.2", port, testToken); status != 401 {
		t.Fatalf("the parent's token still works: %d", status)
	}
	if _, err := ready("127.0.0.1", port, forkToken); err == nil {
		t.Fatal("the parent's address still answers")
	}
}

func TestABadIdentityChangesNothing(t *testing.T) {
	control, system, port := listening(t)
	good := map[string]interface{}{}
	_ = json.Unmarshal(identity("127.0.0.2/8", "fork-token-0123456789"), &good)
	for field, bad := range map[string]interface{}{"op": "shutdown", "ip": "127.0.0.2", "gateway": "gw",
		"hostname": "a b", "token": "short", "seed": "c2hvcnQ="} {
		request := map[string]interface{}{}
		for k, v := range good {
			request[k] = v
		}
		request[field] = bad
		line, _ := json.Marshal(request)
		if reply := control.Handle(line); reply.Ok || reply.Error == "" {
			t.Fatalf("a bad %s was taken: %+v", field, reply)
		}
	}
	if reply := control.Handle([]byte("{not json")); reply.Ok {
		t.Fatal("a line that is not JSON was taken")
	}
	if calls := system.list(); len(calls) != 0 {
		t.Fatalf("the guest was changed: %v", calls)
	}
	if status, err := ready("127.0.0.1", port, testToken); err != nil || status != 200 {
		t.Fatalf("the agent moved: %d %v", status, err)
	}
}

// hostPort reads like a virtio-serial port: a read ends at once while no host is connected.
type hostPort struct {
	mu       sync.Mutex
	absent   int
	request  *bytes.Reader
	answered bytes.Buffer
}

func (p *hostPort) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.absent > 0 {
		p.absent--
		return 0, io.EOF
	}
	if p.request.Len() == 0 {
		return 0, io.EOF
	}
	return p.request.Read(b)
}

func (p *hostPort) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.answered.Write(b)
}

func (p *hostPort) answer() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.answered.String()
}

func TestTheControlPortIsReadAgainUntilAHostSendsAndEachLineIsAnswered(t *testing.T) {
	control, _, _ := listening(t)
	port := &hostPort{absent: 5, request: bytes.NewReader(append(append([]byte("{\"op\":\"reboot\"}\n"),
		identity("127.0.0.3/8", "fork-token-0123456789")...), '\n'))}
	go control.Serve(port)
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(port.answer(), "\n") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	lines := strings.Split(strings.TrimSpace(port.answer()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "unknown op reboot") || lines[1] != `{"ok":true}` {
		t.Fatalf("answers: %q", port.answer())
	}
}

func TestThePortIsFoundByItsName(t *testing.T) {
	sys := t.TempDir()
	for dev, name := range map[string]string{"vport0p0": "other", "vport0p1": "sh.chaser.ctl"} {
		_ = os.MkdirAll(filepath.Join(sys, dev), 0o755)
		_ = os.WriteFile(filepath.Join(sys, dev, "name"), []byte(name+"\n"), 0o644)
	}
	if device, err := findPort(sys, "sh.chaser.ctl"); err != nil || device != "/dev/vport0p1" {
		t.Fatalf("found %q %v", device, err)
	}
	if _, err := findPort(sys, "absent"); err == nil {
		t.Fatal("a port that is not there was found")
	}
}
