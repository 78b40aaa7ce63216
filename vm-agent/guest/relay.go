package main

import (
	"net"
	"strconv"
	"sync"
)

// relay makes a listener on the guest's loopback reachable at the agent's own address: in a
// microVM the host reaches the VM's address, and Chromium's DevTools binds 127.0.0.1 only. It
// accepts the allowed peers only (the host), and copies bytes both ways to 127.0.0.1:port.
func relay(host string, port int, allowed map[string]bool) (net.Listener, error) {
	listener, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			peer, _, _ := net.SplitHostPort(conn.RemoteAddr().String())
			if len(allowed) > 0 && !allowed[peer] {
				conn.Close()
				continue
			}
			go pipe(conn, port)
		}
	}()
	return listener, nil
}

func pipe(conn net.Conn, port int) {
	target, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		conn.Close()
		return
	}
	var both sync.WaitGroup
	both.Add(2)
	go func() { defer both.Done(); copyThenClose(target, conn) }()
	go func() { defer both.Done(); copyThenClose(conn, target) }()
	both.Wait()
	conn.Close()
	target.Close()
}

func copyThenClose(to, from net.Conn) {
	buf := make([]byte, 64<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			if _, werr := to.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	closeWrite(to)
}
