package main

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// forward: GET ?port=N with `Connection: Upgrade`, `Upgrade: tcp` -> 101, then the connection is
// joined byte for byte to 127.0.0.1:N inside the sandbox (HTTP, WebSocket, anything over TCP).
// 502 port_not_listening when nothing listens there.
func (a *Agent) forward(w http.ResponseWriter, r *http.Request) {
	port, err := strconv.Atoi(r.URL.Query().Get("port"))
	if err != nil || port < 1 || port > 65535 {
		fail(w, http.StatusBadRequest, "invalid_request", "port must be 1-65535")
		return
	}
	if r.Header.Get("Upgrade") != "tcp" {
		fail(w, http.StatusBadRequest, "invalid_request", "send Connection: Upgrade and Upgrade: tcp")
		return
	}
	target, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 5*time.Second)
	if err != nil {
		fail(w, http.StatusBadGateway, "port_not_listening", "nothing listens on port "+strconv.Itoa(port)+" in the sandbox")
		return
	}
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		target.Close()
		fail(w, http.StatusInternalServerError, "internal", "the connection cannot be taken over")
		return
	}
	conn, buffered, err := hijacker.Hijack()
	if err != nil {
		target.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"))
	var both sync.WaitGroup
	both.Add(2)
	go func() {
		defer both.Done()
		_, _ = io.Copy(target, buffered)
		closeWrite(target)
	}()
	go func() {
		defer both.Done()
		_, _ = io.Copy(conn, target)
		closeWrite(conn)
	}()
	both.Wait()
	conn.Close()
	target.Close()
}

func closeWrite(c net.Conn) {
	if tcp, ok := c.(*net.TCPConn); ok {
		_ = tcp.CloseWrite()
	} else {
		_ = c.Close()
	}
}
