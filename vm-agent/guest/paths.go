package main

import (
	"os"
	"strings"
)

// pathError is a refused path: its HTTP status and error code.
type pathError struct {
	status  int
	code    string
	message string
}

func (e *pathError) Error() string { return e.message }

func notAllowed(message string) error { return &pathError{400, "path_not_allowed", message} }

func invalidPath(message string) error { return &pathError{400, "invalid_request", message} }

// systemRoots hold the kernel's files, never the sandbox's.
var systemRoots = map[string]bool{"proc": true, "sys": true, "dev": true}

const maxLinks = 40

// resolvePath resolves a path a client names the way the platform documents (docs/api.md, files):
// relative to root; a ".." component, an absolute symbolic link, anything ending under /proc,
// /sys or /dev and anything but a regular file or directory are refused; relative links are
// followed (climbing above / stops there). It returns the path with no link left and what is
// there (nil when missing).
func resolvePath(requested, root string) (string, os.FileInfo, error) {
	if strings.TrimSpace(requested) == "" {
		return "", nil, invalidPath("path is required")
	}
	if strings.ContainsRune(requested, 0) || len(requested) > 4096 {
		return "", nil, notAllowed("path holds a NUL byte or is longer than 4096 characters")
	}
	absolute := requested
	if !strings.HasPrefix(requested, "/") {
		absolute = root + "/" + requested
	}
	var pending []string
	for _, part := range strings.Split(absolute, "/") {
		if part == ".." {
			return "", nil, notAllowed("path may not contain '..'")
		}
		if part != "" && part != "." {
			pending = append(pending, part)
		}
	}
	var done []string
	var info os.FileInfo
	links := 0
	for len(pending) > 0 {
		part := pending[0]
		pending = pending[1:]
		if part == ".." { // only a link's target brings one here: it climbs within the sandbox
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		done = append(done, part)
		found, err := os.Lstat(join(done))
		if err != nil {
			info = nil
			for _, rest := range pending {
				if rest == ".." {
					return "", nil, notAllowed("path leads through a symbolic link into a missing directory and back")
				}
			}
			done = append(done, pending...)
			pending = nil
			break
		}
		info = found
		switch {
		case found.Mode()&os.ModeSymlink != 0:
			if links++; links > maxLinks {
				return "", nil, notAllowed("too many symbolic links in " + requested)
			}
			target, err := os.Readlink(join(done))
			if err != nil {
				return "", nil, notAllowed("unreadable link " + join(done))
			}
			if strings.HasPrefix(target, "/") {
				return "", nil, notAllowed("path leads through an absolute symbolic link: " + join(done) + " -> " + target)
			}
			done = done[:len(done)-1]
			var parts []string
			for _, p := range strings.Split(target, "/") {
				if p != "" && p != "." {
					parts = append(parts, p)
				}
			}
			pending = append(parts, pending...)
			info = nil
		case found.Mode().IsRegular():
			if len(pending) > 0 {
				return "", nil, invalidPath(join(done) + " is a file, not a directory")
			}
		case found.IsDir():
		default:
			return "", nil, notAllowed(join(done) + " is a device, socket or pipe, not a file")
		}
	}
	if final, err := os.Lstat(join(done)); err == nil {
		info = final
	}
	if len(done) > 0 && systemRoots[done[0]] {
		return "", nil, notAllowed("/" + done[0] + " is the kernel's, not the sandbox's files")
	}
	return join(done), info, nil
}

func join(parts []string) string {
	return "/" + strings.Join(parts, "/")
}
