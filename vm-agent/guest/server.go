package main

import (
	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
)

// Identity is the user commands and files run as; -1 keeps the agent's own.
type Identity struct {
	UID int
	GID int
}

// Agent holds what every handler needs.
type Agent struct {
	Token     string
	Allowed   map[string]bool
	User      Identity
	Root      string
	StateDir  string
	OutputMax int64
	Commands  *Commands
	Terminals *Terminals
	Freezer   Freezer
	// guards Token and Allowed, which a fork's new identity replaces
	callerMu sync.RWMutex
}

// caller is who may call the agent: the token every request carries and the allowed peers.
func (a *Agent) caller() (string, map[string]bool) {
	a.callerMu.RLock()
	defer a.callerMu.RUnlock()
	return a.Token, a.Allowed
}

func (a *Agent) setCaller(token string, allowed map[string]bool) {
	a.callerMu.Lock()
	defer a.callerMu.Unlock()
	a.Token, a.Allowed = token, allowed
}

// Handler routes the API behind the peer and token checks.
func (a *Agent) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/ready", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"ready": true})
	})
	mux.HandleFunc("/v1/exec", a.exec)
	mux.HandleFunc("/v1/commands", a.commands)
	mux.HandleFunc("/v1/commands/", a.command)
	mux.HandleFunc("/v1/files", a.files)
	mux.HandleFunc("/v1/stat", a.stat)
	mux.HandleFunc("/v1/forward", a.forward)
	mux.HandleFunc("/v1/pty", a.pty)
	mux.HandleFunc("/v1/proxy/", a.proxy)
	mux.HandleFunc("/v1/freeze", a.freeze)
	mux.HandleFunc("/v1/thaw", a.thaw)
	return a.guard(mux)
}

// guard refuses a caller from an address not allowed (403) or without the token (401): in
// X-Chaser-Guest-Token, or as a bearer token on every route but the proxy's.
func (a *Agent) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, allowed := a.caller()
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if len(allowed) > 0 && (err != nil || !allowed[host]) {
			fail(w, http.StatusForbidden, "forbidden", "this address may not call the agent")
			return
		}
		given := r.Header.Get(TokenHeader)
		if given == "" && !strings.HasPrefix(r.URL.Path, "/v1/proxy/") {
			given = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		}
		if subtle.ConstantTimeCompare([]byte(given), []byte(token)) != 1 {
			fail(w, http.StatusUnauthorized, "unauthenticated", "send Authorization: Bearer <the sandbox's agent token>")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// resolve makes a request path absolute against the agent's root directory.
func (a *Agent) resolve(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(a.Root, path)
}

func writeJSON(w http.ResponseWriter, status int, body interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// fail answers in the platform's error envelope.
func fail(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]interface{}{"error": map[string]string{"code": code, "message": message}})
}

func decode(w http.ResponseWriter, r *http.Request, into interface{}) bool {
	if r.Method != http.MethodPost {
		fail(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
		return false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(into); err != nil {
		fail(w, http.StatusBadRequest, "invalid_request", "the body must be JSON: "+err.Error())
		return false
	}
	return true
}
