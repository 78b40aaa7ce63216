package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Control serves the host on a virtio-serial port, which works without the network: a fork of a
// microVM starts from its parent's memory, with the parent's address, token and random state, on a
// network slot of its own, so the host tells it who it is there before it can reach it at all.
// One JSON object per line each way: the host asks, the agent answers.
type Control struct {
	Agent     *Agent
	Endpoints *Endpoints
	System    System
	// Poll is how long to wait before reading again while no host is connected (a read then ends at once)
	Poll time.Duration
}

// System is what a new identity changes in the guest.
type System interface {
	SetAddress(cidr, gateway string) error
	SetHostname(name string) error
	SetClock(unixMs int64) error
	Reseed(seed []byte) error
}

type controlRequest struct {
	Op        string `json:"op"`
	IP        string `json:"ip"`
	Gateway   string `json:"gateway"`
	Hostname  string `json:"hostname"`
	Token     string `json:"token"`
	NowUnixMs int64  `json:"now_unix_ms"`
	Seed      string `json:"seed"`
}

type controlReply struct {
	Ok    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

var hostnamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)

// Run finds the port named name and answers on it for as long as the agent runs.
func (c *Control) Run(name string) {
	device, err := findPort("/sys/class/virtio-ports", name)
	for tries := 0; err != nil && tries < 50; tries++ { // its module may still be probing the device
		time.Sleep(100 * time.Millisecond)
		device, err = findPort("/sys/class/virtio-ports", name)
	}
	if err != nil {
		log.Printf("chaser-guest: no control port: %v", err)
		return
	}
	port, err := os.OpenFile(device, os.O_RDWR, 0)
	if err != nil {
		log.Printf("chaser-guest: cannot open the control port %s: %v", device, err)
		return
	}
	log.Printf("chaser-guest: control port %s", device)
	c.Serve(port)
}

// Serve answers each request line read from port; a read that ends (no host connected) is tried again.
func (c *Control) Serve(port io.ReadWriter) {
	poll := c.Poll
	if poll <= 0 {
		poll = 100 * time.Millisecond
	}
	reader := bufio.NewReaderSize(port, 64<<10)
	for {
		line, err := reader.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			for err == bufio.ErrBufferFull {
				_, err = reader.ReadSlice('\n')
			}
			c.answer(port, controlReply{Error: "a request line holds at most 64 KiB"})
			continue
		}
		if err != nil {
			time.Sleep(poll)
			continue
		}
		c.answer(port, c.Handle(line))
	}
}

func (c *Control) answer(port io.Writer, reply controlReply) {
	out, _ := json.Marshal(reply)
	if _, err := port.Write(append(out, '\n')); err != nil {
		log.Printf("chaser-guest: the control port's host went away before the answer: %v", err)
	}
}

// Handle runs one request: "identity" gives this VM its address, gateway (the only peer allowed),
// hostname, token, clock and fresh randomness, then moves the agent's listeners to the address.
func (c *Control) Handle(line []byte) controlReply {
	var req controlRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return controlReply{Error: "not a JSON request: " + err.Error()}
	}
	if req.Op != "identity" {
		return controlReply{Error: "unknown op " + req.Op + " (known: identity)"}
	}
	ip, _, err := net.ParseCIDR(req.IP)
	if err != nil || ip.To4() == nil {
		return controlReply{Error: "ip must be an IPv4 ADDRESS/PREFIX"}
	}
	gateway := net.ParseIP(req.Gateway)
	if gateway == nil || gateway.To4() == nil {
		return controlReply{Error: "gateway must be an IPv4 address"}
	}
	if req.Hostname != "" && !hostnamePattern.MatchString(req.Hostname) {
		return controlReply{Error: "hostname must be a DNS label"}
	}
	if len(strings.TrimSpace(req.Token)) < 16 {
		return controlReply{Error: "token must have at least 16 characters"}
	}
	seed, err := base64.StdEncoding.DecodeString(req.Seed)
	if err != nil || len(seed) < 32 {
		return controlReply{Error: "seed must be at least 32 bytes, base64"}
	}
	steps := []func() error{
		func() error { return c.System.Reseed(seed) },
		func() error { return c.clock(req.NowUnixMs) },
		func() error { return c.System.SetAddress(req.IP, gateway.String()) },
		func() error { return c.hostname(req.Hostname) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return controlReply{Error: err.Error()}
		}
	}
	c.Agent.setCaller(strings.TrimSpace(req.Token), map[string]bool{gateway.String(): true})
	if _, err := c.Endpoints.Listen(ip.String()); err != nil {
		return controlReply{Error: "cannot listen at the new address: " + err.Error()}
	}
	log.Printf("chaser-guest: a new identity: %s via %s", req.IP, gateway)
	return controlReply{Ok: true}
}

func (c *Control) clock(unixMs int64) error {
	if unixMs <= 0 {
		return nil
	}
	return c.System.SetClock(unixMs)
}

func (c *Control) hostname(name string) error {
	if name == "" {
		return nil
	}
	return c.System.SetHostname(name)
}

// findPort is the device of the virtio-serial port named name (/sys/class/virtio-ports/*/name).
func findPort(sysDir, name string) (string, error) {
	names, _ := filepath.Glob(filepath.Join(sysDir, "*", "name"))
	for _, file := range names {
		if raw, err := os.ReadFile(file); err == nil && strings.TrimSpace(string(raw)) == name {
			return "/dev/" + filepath.Base(filepath.Dir(file)), nil
		}
	}
	return "", errors.New("no virtio-serial port named " + name + " under " + sysDir)
}
