package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const testToken = "test-token-0123456789"

// start serves an agent on loopback with a root and state directory of the test's own.
func start(t *testing.T, allowed string) (*httptest.Server, *Agent) {
	t.Helper()
	agent := &Agent{Token: testToken, Allowed: peers(allowed), User: Identity{UID: -1, GID: -1},
		Root: t.TempDir(), StateDir: t.TempDir(), OutputMax: 1 << 20, Commands: NewCommands(),
		Terminals: NewTerminals(2*time.Second, 64<<10)}
	server := httptest.NewServer(agent.Handler())
	t.Cleanup(server.Close)
	return server, agent
}

func call(t *testing.T, server *httptest.Server, method, path, token string, body interface{}) (int, map[string]interface{}) {
	t.Helper()
	var reader io.Reader
	if body != nil {
		encoded, _ := json.Marshal(body)
		reader = bytes.NewReader(encoded)
	}
	req, _ := http.NewRequest(method, server.URL+path, reader)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]interface{}
	_ = json.NewDecoder(resp.Body).Decode(&answer)
	return resp.StatusCode, answer
}

func output(t *testing.T, answer map[string]interface{}) string {
	decoded, err := base64.StdEncoding.DecodeString(answer["output"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return string(decoded)
}

func TestACallerWithoutTheTokenOrFromAnotherAddressIsRefused(t *testing.T) {
	server, _ := start(t, "")
	status, answer := call(t, server, "POST", "/v1/exec", "", map[string]string{"command": "echo hi"})
	if status != 401 || answer["error"].(map[string]interface{})["code"] != "unauthenticated" {
		t.Fatalf("without a token: %d %v", status, answer)
	}
	if status, _ = call(t, server, "POST", "/v1/exec", "wrong-token-0123456789", map[string]string{"command": "echo hi"}); status != 401 {
		t.Fatalf("with another token: %d", status)
	}
	// positive control: the same call with the token runs
	if status, answer = call(t, server, "POST", "/v1/exec", testToken, map[string]string{"command": "echo hi"}); status != 200 || output(t, answer) != "hi\n" {
		t.Fatalf("with the token: %d %v", status, answer)
	}
	elsewhere, _ := start(t, "10.0.0.1")
	if status, _ = call(t, elsewhere, "POST", "/v1/exec", testToken, map[string]string{"command": "echo hi"}); status != 403 {
		t.Fatalf("from an address not allowed: %d", status)
	}
}

func TestExecReturnsStatusOutputAndRunsInTheGivenPlaceWithTheGivenVariables(t *testing.T) {
	server, agent := start(t, "127.0.0.1")
	if err := os.Mkdir(filepath.Join(agent.Root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	status, answer := call(t, server, "POST", "/v1/exec", testToken, map[string]interface{}{
		"command": "pwd; echo $GREETING; echo err >&2; exit 7", "cwd": "sub", "env": map[string]string{"GREETING": "hello"}})
	want := filepath.Join(agent.Root, "sub") + "\nhello\nerr\n"
	if status != 200 || answer["exit_code"].(float64) != 7 || output(t, answer) != want {
		t.Fatalf("%d %v (%q)", status, answer, output(t, answer))
	}
}

func TestTheDeadlineKillsTheCommandAndWhatItStartedButABackgroundChildOutlivesANormalEnd(t *testing.T) {
	server, agent := start(t, "")
	began := time.Now()
	status, answer := call(t, server, "POST", "/v1/exec", testToken, map[string]interface{}{
		"command": "sleep 30 & echo started; wait", "timeout_ms": 300})
	if status != 200 || answer["exit_code"].(float64) != 137 || answer["timed_out"] != true || time.Since(began) > 5*time.Second {
		t.Fatalf("%d %v after %v", status, answer, time.Since(began))
	}
	marker := filepath.Join(agent.Root, "late")
	began = time.Now()
	status, answer = call(t, server, "POST", "/v1/exec", testToken, map[string]interface{}{
		"command": "(sleep 0.5; touch " + marker + ") & echo left"})
	if status != 200 || output(t, answer) != "left\n" || time.Since(began) > 400*time.Millisecond {
		t.Fatalf("the answer waited for the background child: %v %v", answer, time.Since(began))
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, err := os.Stat(marker); err != nil; _, err = os.Stat(marker) {
		if time.Now().After(deadline) {
			t.Fatal("the background child did not outlive the command")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestForegroundOutputIsCappedAtOneMiBOrWhatTheRequestAsks(t *testing.T) {
	server, _ := start(t, "")
	_, answer := call(t, server, "POST", "/v1/exec", testToken, map[string]interface{}{"command": "head -c 3000000 /dev/zero"})
	if len(output(t, answer)) != ExecOutputDefault || answer["output_truncated"] != true {
		t.Fatalf("kept %d bytes, truncated %v", len(output(t, answer)), answer["output_truncated"])
	}
	_, small := call(t, server, "POST", "/v1/exec", testToken, map[string]interface{}{"command": "head -c 3000 /dev/zero",
		"max_output_bytes": 1000})
	if len(output(t, small)) != 1000 || small["output_truncated"] != true {
		t.Fatalf("kept %d bytes, truncated %v", len(output(t, small)), small["output_truncated"])
	}
	_, whole := call(t, server, "POST", "/v1/exec", testToken, map[string]interface{}{"command": "head -c 3000000 /dev/zero",
		"max_output_bytes": 4000000})
	if len(output(t, whole)) != 3000000 || whole["output_truncated"] != false {
		t.Fatalf("kept %d bytes, truncated %v", len(output(t, whole)), whole["output_truncated"])
	}
}

func TestAMainCommandsStatusIsTheAgents(t *testing.T) {
	if code := runMain([]string{"/bin/sh", "-c", "exit 7"}); code != 7 {
		t.Fatalf("exit %d, want 7", code)
	}
	if code := runMain([]string{"/no/such/program"}); code != 127 {
		t.Fatalf("exit %d, want 127", code)
	}
}

func TestFilesGoInAndOutWithTheirHashAndLargerOnesAreRefused(t *testing.T) {
	server, agent := start(t, "")
	data := bytes.Repeat([]byte("chaser"), 1000)
	req, _ := http.NewRequest("PUT", server.URL+"/v1/files?path=dir/deeper/f.bin", bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("put: %v %v", err, resp)
	}
	var put map[string]interface{}
	_ = json.NewDecoder(resp.Body).Decode(&put)
	if put["size"].(float64) != 6000 || len(put["sha256"].(string)) != 64 {
		t.Fatalf("put answered %v", put)
	}
	req, _ = http.NewRequest("GET", server.URL+"/v1/files?path="+filepath.Join(agent.Root, "dir/deeper/f.bin"), nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, _ = http.DefaultClient.Do(req)
	got, _ := io.ReadAll(resp.Body)
	if !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes back", len(got))
	}
	if status, answer := call(t, server, "GET", "/v1/stat?path=dir", testToken, nil); status != 200 || answer["is_dir"] != true {
		t.Fatalf("stat: %d %v", status, answer)
	}
	req, _ = http.NewRequest("PUT", server.URL+"/v1/files?path=big", io.LimitReader(zeros{}, FileMax+1))
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, _ = http.DefaultClient.Do(req)
	if resp.StatusCode != 413 {
		t.Fatalf("a file over 16 MiB: %d", resp.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(agent.Root, "big")); err == nil {
		t.Fatal("the refused file was kept")
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	return len(p), nil
}

func TestABackgroundCommandKeepsItsOutputByOffsetTakesInputAndCanBeKilled(t *testing.T) {
	server, _ := start(t, "")
	status, started := call(t, server, "POST", "/v1/commands", testToken, map[string]string{"command": "echo one; read line; echo got-$line >&2"})
	if status != 200 {
		t.Fatalf("start: %d %v", status, started)
	}
	id := started["command_id"].(string)
	call(t, server, "POST", "/v1/commands/"+id+"/stdin", testToken, map[string]interface{}{
		"data": base64.StdEncoding.EncodeToString([]byte("two\n")), "eof": true})
	// stdout and stderr are separate pipes: their relative order is the order the agent read them
	streams := map[string]string{}
	var offset int64
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, read := call(t, server, "GET", fmt.Sprintf("/v1/commands/%s/output?offset=%d&wait_ms=500", id, offset), testToken, nil)
		for _, c := range read["chunks"].([]interface{}) {
			chunk := c.(map[string]interface{})
			data, _ := base64.StdEncoding.DecodeString(chunk["data"].(string))
			streams[chunk["stream"].(string)] += string(data)
			offset = int64(chunk["offset"].(float64)) + int64(len(data))
		}
		if read["ended"] == true {
			break
		}
	}
	if streams["stdout"] != "one\n" || streams["stderr"] != "got-two\n" || offset != 12 {
		t.Fatalf("output %q up to %d", streams, offset)
	}
	_, again := call(t, server, "GET", "/v1/commands/"+id+"/output?offset=11", testToken, nil)
	if last := again["chunks"].([]interface{}); len(last) != 1 || last[0].(map[string]interface{})["offset"].(float64) != 11 {
		t.Fatalf("reading from an offset: %v", again)
	}
	_, sleeper := call(t, server, "POST", "/v1/commands", testToken, map[string]string{"command": "sleep 60"})
	call(t, server, "POST", "/v1/commands/"+sleeper["command_id"].(string)+"/kill", testToken, map[string]string{"signal": "KILL"})
	deadline = time.Now().Add(10 * time.Second)
	for {
		_, state := call(t, server, "GET", "/v1/commands/"+sleeper["command_id"].(string), testToken, nil)
		if state["status"] == "exited" && state["exit_code"].(float64) == 137 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the killed command: %v", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status, _ := call(t, server, "GET", "/v1/commands/nope", testToken, nil); status != 404 {
		t.Fatalf("an unknown command: %d", status)
	}
	_, runner := call(t, server, "POST", "/v1/commands", testToken, map[string]string{"command": "sleep 60"})
	if status, _ := call(t, server, "DELETE", "/v1/commands/"+runner["command_id"].(string), testToken, nil); status != 409 {
		t.Fatalf("forgetting a running command: %d", status)
	}
	call(t, server, "POST", "/v1/commands/"+runner["command_id"].(string)+"/kill", testToken, map[string]string{"signal": "KILL"})
	if status, _ := call(t, server, "DELETE", "/v1/commands/"+id, testToken, nil); status != 200 {
		t.Fatalf("forgetting a finished command: %d", status)
	}
	if status, _ := call(t, server, "GET", "/v1/commands/"+id, testToken, nil); status != 404 {
		t.Fatalf("a forgotten command: %d", status)
	}
}

func TestForwardJoinsTheConnectionToAPortInsideAndSaysWhenNothingListens(t *testing.T) {
	server, _ := start(t, "")
	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(c, c); c.Close() }()
		}
	}()
	port := echo.Addr().(*net.TCPAddr).Port
	conn, err := net.Dial("tcp", strings.TrimPrefix(server.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /v1/forward?port=%d HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n", port, testToken)
	reader := bufio.NewReader(conn)
	resp, err := http.ReadResponse(reader, nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("upgrade: %v %v", err, resp)
	}
	fmt.Fprint(conn, "ping\n")
	line, _ := reader.ReadString('\n')
	if line != "ping\n" {
		t.Fatalf("echoed %q", line)
	}
	req, _ := http.NewRequest("GET", server.URL+"/v1/forward?port=1", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "tcp")
	closed, _ := http.DefaultClient.Do(req)
	if closed.StatusCode != 502 {
		t.Fatalf("a port nothing listens on: %d", closed.StatusCode)
	}
}

func TestCommandsAndFilesBelongToTheConfiguredUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run commands as another user (./chaser test runs it as root)")
	}
	server, agent := start(t, "")
	agent.User = Identity{UID: 65534, GID: 65534}
	// the test's temporary directories are root's alone: the user needs a way in
	for dir := agent.Root; dir != os.TempDir() && dir != "/"; dir = filepath.Dir(dir) {
		_ = os.Chmod(dir, 0o755)
	}
	if err := os.Chown(agent.Root, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	_, answer := call(t, server, "POST", "/v1/exec", testToken, map[string]string{"command": "id -u; id -g"})
	if output(t, answer) != "65534\n65534\n" {
		t.Fatalf("ran as %q", output(t, answer))
	}
	req, _ := http.NewRequest("PUT", server.URL+"/v1/files?path=made/by/upload", strings.NewReader("x"))
	req.Header.Set("Authorization", "Bearer "+testToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("put: %v", err)
	}
	for _, p := range []string{"made", "made/by", "made/by/upload"} {
		info, _ := os.Stat(filepath.Join(agent.Root, p))
		if owner := info.Sys().(*syscall.Stat_t).Uid; owner != 65534 {
			t.Fatalf("%s belongs to %d", p, owner)
		}
	}
	// the agent is root here (as in a VM): files are still read with the user's permissions
	secret := filepath.Join(agent.Root, "root-only")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, _ := call(t, server, "GET", "/v1/files?path=root-only", testToken, nil); status != 404 {
		t.Fatalf("a root-only file answered %d to the user's agent", status)
	}
	_ = os.Chmod(secret, 0o644) // positive control: readable once the user may read it
	if status, _ := call(t, server, "GET", "/v1/files?path=root-only", testToken, nil); status != 200 {
		t.Fatalf("a readable file answered %d", status)
	}
}

// A freeze answers only POST with JSON and a thaw of a file system that is not frozen is fine (the
// ioctls themselves need root and a real mount: the qemu runtime's pause test covers them).
func TestThawOfAFileSystemNotFrozenIsFine(t *testing.T) {
	server, _ := start(t, "")
	status, _ := call(t, server, http.MethodGet, "/v1/freeze", testToken, nil)
	if status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /v1/freeze answered %d", status)
	}
	status, answer := call(t, server, http.MethodPost, "/v1/thaw", testToken, map[string]int{})
	if status != http.StatusOK || answer["frozen"] != false {
		t.Fatalf("thaw answered %d %v", status, answer)
	}
	status, _ = call(t, server, http.MethodPost, "/v1/thaw", "", map[string]int{})
	if status != http.StatusUnauthorized {
		t.Fatalf("a thaw without the token answered %d", status)
	}
}

// An exec's output copier scheduled late (a busy machine: CI's ExecTest once got an empty answer
// for `echo 38` of 300 at once) still answers with all the command wrote before it exited.
func TestAnExecWhoseCopierStartsLateAnswersWithAllItsOutput(t *testing.T) {
	server, _ := start(t, "")
	copierStarts = func() { time.Sleep(300 * time.Millisecond) }
	defer func() { copierStarts = func() {} }()
	for _, command := range []string{"echo 38", "head -c 200000 /dev/zero | tr '\\0' x; echo"} {
		status, answer := call(t, server, "POST", "/v1/exec", testToken, map[string]string{"command": command})
		want := "38\n"
		if command != "echo 38" {
			want = strings.Repeat("x", 200000) + "\n"
		}
		if got := output(t, answer); status != 200 || got != want {
			t.Fatalf("%q answered %d with %d bytes, want %d", command, status, len(got), len(want))
		}
	}
}
