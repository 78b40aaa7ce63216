package main

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
)

// TokenHeader carries the agent's token on proxied requests, whose Authorization header is the
// application's own.
const TokenHeader = "X-Chaser-Guest-Token"

// ErrorCodeHeader marks an answer as the agent's own error, never the application's.
const ErrorCodeHeader = "X-Chaser-Error-Code"

// proxy: any method on /v1/proxy/PORT/PATH is HTTP to 127.0.0.1:PORT/PATH inside the sandbox,
// WebSocket and other upgrades included, bodies streamed both ways. It reaches servers that
// listen on the guest's loopback only (a VM's address is the only one the host can dial).
// 502 port_not_listening when nothing listens there.
func (a *Agent) proxy(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/v1/proxy/")
	portText, path, _ := strings.Cut(rest, "/")
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		fail(w, http.StatusBadRequest, "invalid_request", "port must be 1-65535")
		return
	}
	target := "127.0.0.1:" + strconv.Itoa(port)
	forward := &httputil.ReverseProxy{
		Director: func(out *http.Request) {
			out.URL.Scheme = "http"
			out.URL.Host = target
			out.URL.RawPath = "/" + path
			out.URL.Path, _ = url.PathUnescape("/" + path)
			out.Host = target
			out.Header.Del(TokenHeader)
		},
		FlushInterval: -1,
		// the host tells the agent's answers from the application's by this header alone
		ModifyResponse: func(answer *http.Response) error {
			answer.Header.Del(ErrorCodeHeader)
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			w.Header().Set(ErrorCodeHeader, "port_not_listening")
			fail(w, http.StatusBadGateway, "port_not_listening", "nothing in the sandbox answers on port "+strconv.Itoa(port))
		},
	}
	forward.ServeHTTP(w, r)
}
