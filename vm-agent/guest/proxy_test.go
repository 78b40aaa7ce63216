package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestProxyReachesALoopbackServerWithTheApplicationsOwnHeadersAndPath(t *testing.T) {
	server, _ := start(t, "")
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set(ErrorCodeHeader, "forged-by-the-app")
		fmt.Fprintf(w, "%s %s auth=%q token=%q body=%s", r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"),
			r.Header.Get(TokenHeader), body)
	}))
	defer app.Close()
	port := app.Listener.Addr().(*net.TCPAddr).Port
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/v1/proxy/%d/a%%2Fb/c?q=1", server.URL, port), strings.NewReader("hello"))
	req.Header.Set(TokenHeader, testToken)
	req.Header.Set("Authorization", "Bearer the-apps-own")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	if forged := resp.Header.Get(ErrorCodeHeader); forged != "" {
		t.Fatalf("the application's answer passed as the agent's error: %q", forged)
	}
	if want := `POST /a%2Fb/c?q=1 auth="Bearer the-apps-own" token="" body=hello`; string(got) != want {
		t.Fatalf("the application saw %q, want %q", got, want)
	}
}

func TestProxyNeedsTheTokenInItsOwnHeaderAndSaysWhenNothingListens(t *testing.T) {
	server, _ := start(t, "")
	// the agent's token as a bearer token is the application's header on this route, not a credential
	req, _ := http.NewRequest("GET", server.URL+"/v1/proxy/1/", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	refused, _ := http.DefaultClient.Do(req)
	if refused.StatusCode != 401 {
		t.Fatalf("a bearer token on the proxy: %d", refused.StatusCode)
	}
	req.Header.Set(TokenHeader, testToken)
	closed, _ := http.DefaultClient.Do(req)
	body, _ := io.ReadAll(closed.Body)
	if closed.StatusCode != 502 || closed.Header.Get(ErrorCodeHeader) != "port_not_listening" {
		t.Fatalf("a port nothing listens on (positive control of the same call): %d %s", closed.StatusCode, body)
	}
}

func TestProxyCarriesAWebSocketUpgrade(t *testing.T) {
	server, _ := start(t, "")
	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		c, err := echo.Accept()
		if err != nil {
			return
		}
		reader := bufio.NewReader(c)
		for line, _ := reader.ReadString('\n'); line != "\r\n" && line != ""; line, _ = reader.ReadString('\n') {
		}
		fmt.Fprint(c, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
		_, _ = io.Copy(c, reader)
		c.Close()
	}()
	conn, err := net.Dial("tcp", strings.TrimPrefix(server.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /v1/proxy/%d/ws HTTP/1.1\r\nHost: x\r\n%s: %s\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
		echo.Addr().(*net.TCPAddr).Port, TokenHeader, testToken)
	reader := bufio.NewReader(conn)
	resp, err := http.ReadResponse(reader, nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("upgrade: %v %v", err, resp)
	}
	fmt.Fprint(conn, "frames\n")
	if line, _ := reader.ReadString('\n'); line != "frames\n" {
		t.Fatalf("echoed %q", line)
	}
}
