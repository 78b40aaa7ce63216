package main

import (
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Endpoints are the agent's listeners at the guest's address: its API and the relays of loopback
// ports. A fork of a microVM starts with its parent's address and gets its own over the control
// port: Move closes the old listeners and opens the same ones at the new address.
type Endpoints struct {
	mu        sync.Mutex
	server    *http.Server
	port      string
	relays    []int
	access    *Agent
	listeners []net.Listener
	closed    map[net.Listener]bool
}

// NewEndpoints serves the agent's handler on port and relays relayPorts (comma-separated).
func NewEndpoints(agent *Agent, server *http.Server, port, relayPorts string) (*Endpoints, error) {
	e := &Endpoints{server: server, port: port, access: agent, closed: map[net.Listener]bool{}}
	for _, p := range strings.Split(relayPorts, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("-relay takes ports 1-65535, not %q", p)
		}
		e.relays = append(e.relays, n)
	}
	return e, nil
}

// Listen opens the API and the relays at host; they replace whatever listened before.
func (e *Endpoints) Listen(host string) (net.Addr, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closeLocked()
	api, err := net.Listen("tcp", net.JoinHostPort(host, e.port))
	if err != nil {
		return nil, err
	}
	e.listeners = append(e.listeners, api)
	go func() {
		if err := e.server.Serve(api); !e.wasClosed(api) {
			log.Fatalf("chaser-guest: serving on %s failed: %v", api.Addr(), err)
		}
	}()
	_, allowed := e.access.caller()
	for _, port := range e.relays {
		r, err := relay(host, port, allowed)
		if err != nil {
			return nil, errors.New("cannot relay port " + strconv.Itoa(port) + ": " + err.Error())
		}
		e.listeners = append(e.listeners, r)
	}
	return api.Addr(), nil
}

// Close stops listening.
func (e *Endpoints) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closeLocked()
}

func (e *Endpoints) closeLocked() {
	for _, l := range e.listeners {
		e.closed[l] = true
		l.Close()
	}
	e.listeners = nil
}

func (e *Endpoints) wasClosed(l net.Listener) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closed[l]
}
