package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// FileMax is the largest file moved in one request, as the platform's upload and download.
const FileMax = 16 << 20

// files: PUT ?path= writes the body (at most 16 MiB) -> {path, size, sha256}; GET ?path= reads one.
// Files are written as the configured user; parent directories are made as needed.
func (a *Agent) files(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("path")
	if raw == "" {
		fail(w, http.StatusBadRequest, "invalid_request", "path is required")
		return
	}
	path := a.resolve(raw)
	switch r.Method {
	case http.MethodGet:
		file, err := os.Open(path)
		if err != nil {
			fail(w, http.StatusNotFound, "file_not_found", "no readable file at "+path)
			return
		}
		defer file.Close()
		info, err := file.Stat()
		if err != nil || info.IsDir() {
			fail(w, http.StatusBadRequest, "invalid_request", path+" is a directory")
			return
		}
		if info.Size() > FileMax {
			fail(w, http.StatusRequestEntityTooLarge, "file_too_large", "files of at most 16 MiB are read")
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = io.Copy(w, file)
	case http.MethodPut:
		if err := a.mkdirs(filepath.Dir(path)); err != nil {
			fail(w, http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		temporary := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".chaser-upload")
		file, err := os.OpenFile(temporary, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		if err != nil {
			fail(w, http.StatusBadRequest, "invalid_request", err.Error())
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
			fail(w, http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]interface{}{"path": path, "size": size, "sha256": hex.EncodeToString(hash.Sum(nil))})
	default:
		fail(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET or PUT")
	}
}

// stat: GET ?path= -> {path, size, mode, is_dir, modified_at}.
func (a *Agent) stat(w http.ResponseWriter, r *http.Request) {
	path := a.resolve(r.URL.Query().Get("path"))
	info, err := os.Stat(path)
	if err != nil {
		fail(w, http.StatusNotFound, "file_not_found", "nothing at "+path)
		return
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"path": path, "size": info.Size(), "mode": info.Mode().Perm().String(),
		"is_dir": info.IsDir(), "modified_at": info.ModTime().UTC().Format("2006-01-02T15:04:05.000Z")})
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
