// chaser-guest is the agent that runs inside every sandbox or microVM: the one way the vm-agent
// on the host runs commands, keeps background commands' output, moves files and forwards ports.
// A static binary (CGO_ENABLED=0, standard library only) shipped by the platform, so any image works.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:7000", "address to listen on")
	tokenFile := flag.String("token-file", "", "file holding the token every request must carry (required)")
	allow := flag.String("allow", "", "comma-separated peer addresses allowed to call (empty: any)")
	uid := flag.Int("uid", -1, "user id commands and files run as (-1: the agent's own)")
	gid := flag.Int("gid", -1, "group id commands and files run as (-1: the agent's own)")
	root := flag.String("root", "/workspace", "directory relative paths and commands start in")
	state := flag.String("state-dir", "/tmp/.chaser-guest", "where background commands' output is kept")
	relayPorts := flag.String("relay", "", "comma-separated loopback ports also reachable at the -listen address (a microVM's DevTools)")
	outputMax := flag.Int64("command-output-bytes", 256<<20, "output a background command keeps; the rest is dropped after a marker")
	ptyGrace := flag.Duration("pty-grace", 5*time.Minute, "how long a terminal whose connection dropped waits to be attached again before it is hung up")
	ptyKeep := flag.Int("pty-keep-bytes", 1<<20, "output a terminal keeps for a connection that attaches again")
	control := flag.String("control", "", "name of the virtio-serial port the host sends a fork's new identity on (a microVM's)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: chaser-guest -token-file FILE [options] [-- MAIN COMMAND...]\n\n"+
			"Serves exec, background commands, files and port forwarding over HTTP to the host, inside a sandbox.\n"+
			"With a main command (a browser, say) the agent starts it and exits with its status when it ends.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *tokenFile == "" {
		log.Fatal("chaser-guest: -token-file is required (every request must carry its token)")
	}
	raw, err := os.ReadFile(*tokenFile)
	if err != nil {
		log.Fatalf("chaser-guest: cannot read the token: %v", err)
	}
	token := strings.TrimSpace(string(raw))
	if len(token) < 16 {
		log.Fatal("chaser-guest: the token must have at least 16 characters")
	}
	if err := os.MkdirAll(*state, 0o700); err != nil {
		log.Fatalf("chaser-guest: cannot make %s: %v", *state, err)
	}
	agent := &Agent{
		Token:     token,
		Allowed:   peers(*allow),
		User:      Identity{UID: *uid, GID: *gid},
		Root:      *root,
		StateDir:  *state,
		OutputMax: *outputMax,
		Commands:  NewCommands(),
		Terminals: NewTerminals(*ptyGrace, *ptyKeep),
	}
	host, port, err := net.SplitHostPort(*listen)
	if err != nil {
		log.Fatalf("chaser-guest: -listen takes HOST:PORT, not %q", *listen)
	}
	server := &http.Server{Handler: agent.Handler(), ReadHeaderTimeout: 10 * time.Second}
	endpoints, err := NewEndpoints(agent, server, port, *relayPorts)
	if err != nil {
		log.Fatalf("chaser-guest: %v", err)
	}
	addr, err := endpoints.Listen(host)
	if err != nil {
		log.Fatalf("chaser-guest: cannot listen on %s: %v", *listen, err)
	}
	log.Printf("chaser-guest: serving on %s", addr)
	if *control != "" {
		go (&Control{Agent: agent, Endpoints: endpoints, System: hostSystem{}}).Run(*control)
	}
	if main := flag.Args(); len(main) > 0 {
		os.Exit(runMain(main))
	}
	select {}
}

// runMain runs the sandbox's main command with the agent's environment and standard streams; its
// exit status (128+signal when a signal ended it), or 127 when it could not start.
func runMain(argv []string) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		log.Printf("chaser-guest: the main command could not start: %v", err)
		return 127
	}
	log.Printf("chaser-guest: the main command ended (%d)", exitCode(cmd.ProcessState))
	return exitCode(cmd.ProcessState)
}

func peers(list string) map[string]bool {
	allowed := map[string]bool{}
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			allowed[p] = true
		}
	}
	return allowed
}
