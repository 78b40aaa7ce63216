package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// a workspace with the links and files the platform's path rules are about
func pathFixture(t *testing.T) string {
	root := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(root, "a.txt"), []byte("a"), 0o644))
	up := strings.Repeat("../", 30)
	must(os.Symlink(up+strings.TrimPrefix(filepath.Join(root, "a.txt"), "/"), filepath.Join(root, "climb")))
	must(os.Symlink("/etc/passwd", filepath.Join(root, "abs")))
	must(os.Symlink(up+"proc/self/environ", filepath.Join(root, "to-proc")))
	must(os.Symlink("loop", filepath.Join(root, "loop")))
	must(syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644))
	return root
}

func TestPathsResolveInsideAndRelativeLinksStopAtTheRoot(t *testing.T) {
	root := pathFixture(t)
	for requested, want := range map[string]string{"a.txt": root + "/a.txt", "./sub/new.txt": root + "/sub/new.txt",
		"climb": root + "/a.txt", root + "/sub": root + "/sub"} {
		got, _, err := resolvePath(requested, root)
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", requested, got, err, want)
		}
	}
	if _, info, _ := resolvePath("sub/x/y", root); info != nil {
		t.Errorf("a missing path has no info")
	}
}

func TestEveryWayOutIsRefusedAndAnEmptyPathOrAFileAsDirectoryIsInvalid(t *testing.T) {
	root := pathFixture(t)
	for _, path := range []string{"../etc/passwd", "sub/../../etc", "abs", "to-proc", "/proc/1/environ", "/sys/kernel",
		"/dev/null", "loop", "fifo", "a\x00b"} {
		_, _, err := resolvePath(path, root)
		if refused, ok := err.(*pathError); !ok || refused.code != "path_not_allowed" {
			t.Errorf("%q: %v, want path_not_allowed", path, err)
		}
	}
	for _, path := range []string{" ", "a.txt/x"} {
		_, _, err := resolvePath(path, root)
		if refused, ok := err.(*pathError); !ok || refused.code != "invalid_request" {
			t.Errorf("%q: %v, want invalid_request", path, err)
		}
	}
}
