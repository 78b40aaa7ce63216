package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// terminal opens /v1/pty and returns the connection and a reader of its frames.
func terminal(t *testing.T, address, query string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, reader, _ := terminalHeaders(t, address, query)
	return conn, reader
}

// await reads frames until the printed text contains want (or an exit frame comes); returns the text and any exit code.
func await(t *testing.T, conn net.Conn, reader *bufio.Reader, want string) (string, int) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var printed strings.Builder
	for !strings.Contains(printed.String(), want) {
		kind, payload, err := readFrame(reader)
		if err != nil {
			t.Fatalf("waiting for %q after %q: %v", want, printed.String(), err)
		}
		if kind == FrameExit {
			var exit struct {
				ExitCode int `json:"exit_code"`
			}
			_ = json.Unmarshal(payload, &exit)
			return printed.String(), exit.ExitCode
		}
		printed.Write(payload)
	}
	return printed.String(), -1
}

func TestATerminalRunsAShellThatFollowsResizesAndEndsWithItsExitCode(t *testing.T) {
	server, _ := start(t, "")
	conn, reader := terminal(t, strings.TrimPrefix(server.URL, "http://"), "cols=80&rows=24&command=sh")
	_ = writeFrame(conn, FrameData, []byte("stty size; echo $((6*7))\n"))
	if out, _ := await(t, conn, reader, "42"); !strings.Contains(out, "24 80") {
		t.Fatalf("the terminal's first size: %q", out)
	}
	_ = writeFrame(conn, FrameResize, []byte(`{"cols":132,"rows":50}`))
	_ = writeFrame(conn, FrameData, []byte("stty size\n"))
	await(t, conn, reader, "50 132")
	_ = writeFrame(conn, FrameData, []byte("exit 3\n"))
	if _, code := await(t, conn, reader, "never printed"); code != 3 {
		t.Fatalf("exit code %d", code)
	}
}

func TestATerminalRunsOneCommandAndATerminalWithoutTheUpgradeIsRefused(t *testing.T) {
	server, _ := start(t, "")
	conn, reader := terminal(t, strings.TrimPrefix(server.URL, "http://"), "command=tty%3B+exit+5")
	out, code := await(t, conn, reader, "never printed")
	if code != 5 || !strings.Contains(out, "/dev/pts/") {
		t.Fatalf("one command: %q, exit %d", out, code)
	}
	status, _ := call(t, server, "GET", "/v1/pty", testToken, nil)
	if status != 400 {
		t.Fatalf("without the upgrade: %d", status)
	}
}

func TestWhatTheCommandPrintedComesBeforeItsExitEvenWhenAChildKeepsTheTerminal(t *testing.T) {
	server, _ := start(t, "")
	// the child ignores the hang-up and keeps the terminal open after the command exited
	conn, reader := terminal(t, strings.TrimPrefix(server.URL, "http://"),
		"cols=80&rows=24&command="+url.QueryEscape("(trap '' HUP; sleep 30) & echo one-shot; exit 3"))
	started := time.Now()
	out, code := await(t, conn, reader, "one-shot")
	if !strings.Contains(out, "one-shot") {
		t.Fatalf("printed %q before the exit", out)
	}
	if code == -1 {
		_, code = await(t, conn, reader, "never printed")
	}
	if code != 3 || time.Since(started) > 8*time.Second {
		t.Fatalf("exit %d after %v", code, time.Since(started))
	}
}

// terminalHeaders opens /v1/pty like terminal and also returns the 101's headers.
func terminalHeaders(t *testing.T, address, query string) (net.Conn, *bufio.Reader, http.Header) {
	t.Helper()
	conn, err := net.Dial("tcp", address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET /v1/pty?%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nConnection: Upgrade\r\nUpgrade: chaser-pty\r\n\r\n",
		query, testToken)
	reader := bufio.NewReader(conn)
	resp, err := http.ReadResponse(reader, nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("upgrade: %v %v", err, resp)
	}
	return conn, reader, resp.Header
}

func TestATerminalWhoseConnectionDroppedIsAttachedAgainWithWhatItMissed(t *testing.T) {
	server, _ := start(t, "")
	address := strings.TrimPrefix(server.URL, "http://")
	conn, reader, headers := terminalHeaders(t, address, "command=sh")
	id := headers.Get("X-Chaser-Pty-Id")
	if id == "" || headers.Get("X-Chaser-Pty-Offset") != "0" {
		t.Fatalf("a new terminal is named and starts at offset 0: %v", headers)
	}
	_ = writeFrame(conn, FrameData, []byte("echo before-$((6*7)); sleep 1; echo after-$((6*8))\n"))
	seen, _ := await(t, conn, reader, "before-42")
	conn.Close() // the connection drops while the command still runs
	again, reader2, headers2 := terminalHeaders(t, address, "attach="+id+"&offset="+fmt.Sprint(len(seen)))
	if headers2.Get("X-Chaser-Pty-Id") != id || headers2.Get("X-Chaser-Pty-Offset") != fmt.Sprint(len(seen)) {
		t.Fatalf("attached again at the offset asked: %v", headers2)
	}
	rest, _ := await(t, again, reader2, "after-48")
	if strings.Contains(rest, "before-42") {
		t.Fatalf("what the first connection got is not sent twice: %q", rest)
	}
	_ = writeFrame(again, FrameData, []byte("exit 5\n"))
	if _, code := await(t, again, reader2, "\x00never"); code != 5 {
		t.Fatalf("the exit code after attaching again: %d", code)
	}
	// an ended terminal, and one never opened, cannot be attached
	for _, unknown := range []string{id, "nope"} {
		c, err := net.Dial("tcp", address)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "GET /v1/pty?attach=%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nConnection: Upgrade\r\nUpgrade: chaser-pty\r\n\r\n",
			unknown, testToken)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 404 {
			t.Fatalf("attach %s: %v %v", unknown, err, resp)
		}
		c.Close()
	}
}

func TestATerminalNobodyAttachesAgainIsHungUpAfterTheGracePeriod(t *testing.T) {
	server, agent := start(t, "")
	address := strings.TrimPrefix(server.URL, "http://")
	conn, reader, headers := terminalHeaders(t, address, "command=sh")
	_ = writeFrame(conn, FrameData, []byte("echo $$\n"))
	await(t, conn, reader, "\n")
	conn.Close()
	id := headers.Get("X-Chaser-Pty-Id")
	deadline := time.Now().Add(10 * time.Second) // the tests' grace is 2 s
	for agent.Terminals.get(id) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the abandoned terminal is still kept after its grace period")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A terminal that prints far more than it keeps, read slowly by its connection, delivers every byte
// in order: the kept tail is a margin for attaching again, never a reason to drop what is unsent
// (an sftp download through ssh is a binary stream on a raw terminal: one lost byte breaks it).
func TestATerminalReadSlowerThanItPrintsLosesNothing(t *testing.T) {
	server, _ := start(t, "")
	address := strings.TrimPrefix(server.URL, "http://")
	conn, reader := terminal(t, address, "command="+url.QueryEscape("stty raw -echo; seq 1 200000"))
	var want strings.Builder
	for i := 1; i <= 200000; i++ {
		fmt.Fprintf(&want, "%d\n", i)
	}
	var got strings.Builder
	_ = conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	for frames := 0; ; frames++ {
		kind, payload, err := readFrame(reader)
		if err != nil {
			t.Fatalf("after %d bytes: %v", got.Len(), err)
		}
		if kind == FrameExit {
			break
		}
		got.Write(payload)
		if frames < 40 {
			time.Sleep(25 * time.Millisecond) // a slow reader while the command prints on
		}
	}
	if got.Len() != want.Len() || got.String() != want.String() {
		t.Fatalf("printed %d bytes, received %d; equal: %v", want.Len(), got.Len(), got.String() == want.String())
	}
}
