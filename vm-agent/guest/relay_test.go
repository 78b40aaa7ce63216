package main

import (
	"bufio"
	"net"
	"strconv"
	"testing"
	"time"
)

// A relayed loopback listener answers the allowed peer at the relay's address, and nobody else.
func TestRelayReachesLoopbackForTheAllowedPeerOnly(t *testing.T) {
	service, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer service.Close()
	go func() {
		for {
			c, err := service.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("from-loopback\n"))
			c.Close()
		}
	}()
	port := service.Addr().(*net.TCPAddr).Port
	relayed, err := relay("127.0.0.2", port, map[string]bool{"127.0.0.3": true})
	if err != nil {
		t.Fatal(err)
	}
	defer relayed.Close()
	target := net.JoinHostPort("127.0.0.2", strconv.Itoa(port))

	read := func(from string) string {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 2 * time.Second}
		c, err := d.Dial("tcp", target)
		if err != nil {
			return "dial: " + err.Error()
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		line, _ := bufio.NewReader(c).ReadString('\n')
		return line
	}
	if got := read("127.0.0.3"); got != "from-loopback\n" {
		t.Fatalf("the allowed peer read %q", got)
	}
	if got := read("127.0.0.4"); got != "" {
		t.Fatalf("another peer read %q", got)
	}
}
