package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
)

// FileMax is the largest file moved in one request, as the platform's upload and download.
const FileMax = 16 << 20

// files: PUT ?path= writes the body (at most 16 MiB) -> {path, size, sha256}; GET ?path= reads one
// (its resolved path in X-Chaser-Path). Paths resolve as resolvePath says; files are written as
// the configured user, atomically, parent directories made as needed.
func (a *Agent) files(w http.ResponseWriter, r *http.Request) {
	defer a.asUser()()
	path, info, err := resolvePath(r.URL.Query().Get("path"), a.Root)
	if err != nil {
		refuse(w, err)
		return
	}
	switch r.Method {
	case http.MethodGet:
		if info == nil {
			fail(w, http.StatusNotFound, "file_not_found", "no file "+path+" in the sandbox")
			return
		}
		if info.IsDir() {
			fail(w, http.StatusBadRequest, "invalid_request", path+" is a directory")
			return
		}
		// non-blocking: what is there may have become a pipe since it was looked at
		file, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
		if err != nil {
			fail(w, http.StatusNotFound, "file_not_found", "no readable file at "+path)
			return
		}
		defer file.Close()
		opened, err := file.Stat()
		if err != nil || !opened.Mode().IsRegular() {
			fail(w, http.StatusBadRequest, "path_not_allowed", path+" is not a regular file")
			return
		}
		if opened.Size() > FileMax {
			fail(w, http.StatusRequestEntityTooLarge, "file_too_large", path+" holds "+strconv.FormatInt(opened.Size(), 10)+
				" bytes; files of at most 16 MiB are read")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(opened.Size(), 10))
		w.Header().Set("X-Chaser-Path", path)
		_, _ = io.CopyN(w, file, opened.Size())
	case http.MethodPut:
		if info != nil && info.IsDir() {
			fail(w, http.StatusBadRequest, "invalid_request", path+" is a directory")
			return
		}
		if err := a.mkdirs(filepath.Dir(path)); err != nil {
			fail(w, http.StatusBadRequest, "invalid_request", "could not write "+path+": "+err.Error())
			return
		}
		temporary := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".chaser-upload")
		file, err := os.OpenFile(temporary, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|syscall.O_NOFOLLOW, 0o644)
		if err != nil {
			fail(w, http.StatusBadRequest, "invalid_request", "could not write "+path+": "+err.Error())
			return
		}
		hash := sha256.New()
		size, err := io.Copy(io.MultiWriter(file, hash), io.LimitReader(r.Body, FileMax+1))
		file.Close()
		if err != nil || size > FileMax {
			os.Remove(temporary)
			if size > FileMax {
				fail(w, http.StatusRequestEntityTooLarge, "file_too_large", "files of at most 16 MiB are written")
			} else {
				fail(w, http.StatusBadRequest, "invalid_request", err.Error())
			}
			return
		}
		a.own(temporary)
		if err := os.Rename(temporary, path); err != nil {
			os.Remove(temporary)
			fail(w, http.StatusBadRequest, "invalid_request", "could not write "+path+": "+err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]interface{}{"path": path, "size": size, "sha256": hex.EncodeToString(hash.Sum(nil))})
	default:
		fail(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET or PUT")
	}
}

// stat: GET ?path= -> {path, size, mode, is_dir, modified_at}.
func (a *Agent) stat(w http.ResponseWriter, r *http.Request) {
	defer a.asUser()()
	path, info, err := resolvePath(r.URL.Query().Get("path"), a.Root)
	if err != nil {
		refuse(w, err)
		return
	}
	if info == nil {
		fail(w, http.StatusNotFound, "file_not_found", "nothing at "+path)
		return
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"path": path, "size": info.Size(), "mode": info.Mode().Perm().String(),
		"is_dir": info.IsDir(), "modified_at": info.ModTime().UTC().Format("2006-01-02T15:04:05.000Z")})
}

func refuse(w http.ResponseWriter, err error) {
	if refused, ok := err.(*pathError); ok {
		fail(w, refused.status, refused.code, refused.message)
		return
	}
	fail(w, http.StatusBadRequest, "invalid_request", err.Error())
}

// asUser makes this goroutine's thread open, create and look up files as the configured user
// (its file-system ids), when the agent runs as root with -uid (in a microVM): files are read and
// written with the user's permissions, never root's. The returned func undoes it.
func (a *Agent) asUser() func() {
	if a.User.UID < 0 || os.Geteuid() != 0 {
		return func() {}
	}
	runtime.LockOSThread()
	_ = syscall.Setfsgid(a.User.GID)
	_ = syscall.Setfsuid(a.User.UID)
	return func() {
		_ = syscall.Setfsuid(0)
		_ = syscall.Setfsgid(0)
		runtime.UnlockOSThread()
	}
}

// mkdirs makes the missing directories of dir, owned by the configured user.
func (a *Agent) mkdirs(dir string) error {
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return nil
	}
	if err := a.mkdirs(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return err
	}
	a.own(dir)
	return nil
}

func (a *Agent) own(path string) {
	if a.User.UID >= 0 {
		_ = os.Lchown(path, a.User.UID, a.User.GID)
	}
}
