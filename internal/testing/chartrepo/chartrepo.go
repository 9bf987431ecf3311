// Package chartrepo is a ChartMuseum-compatible Helm chart repository for
// tests and the local stack: the part of ChartMuseum's HTTP API that a CI
// pipeline and Galaxias use, built on Helm's own repo index types.
//
//	POST   /api/charts                   upload (raw body, or multipart field "chart"): 201 {"saved":true}
//	GET    /api/charts                   {name: [entries]}
//	GET    /api/charts/{name}            [entries], newest first; 404 {"error":"chart not found"}
//	GET    /api/charts/{name}/{version}  one entry ("latest" allowed); 404 with Helm's message
//	HEAD   /api/charts/{name}/{version}  200 or 404, no body
//	DELETE /api/charts/{name}/{version}  200 {"deleted":true}; 404 when absent
//	GET    /index.yaml                   the repository index (helm repo add works)
//	GET    /charts/{file}.tgz            a chart archive
//	GET    /health                       {"healthy":true}
//
// An upload of a name and version that exist already is refused with 409
// {"error":"file already exists"} (ChartMuseum without --allow-overwrite);
// an archive Helm cannot load gets 400 with Helm's message. Entries carry the
// chart's metadata, "urls": ["charts/<name>-<version>.tgz"], "created" (when
// the archive was stored) and "digest" (sha256 of the archive), as
// ChartMuseum's do. Provenance files are not supported.
package chartrepo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/repo"
	"sigs.k8s.io/yaml"
)

// maxUploadBytes is the largest chart archive accepted.
const maxUploadBytes = 20 << 20

// Server is a chart repository stored as <name>-<version>.tgz files in one
// directory. It is an http.Handler.
type Server struct {
	dir *os.Root // the storage directory; file names never leave it
	mux *http.ServeMux

	mu      sync.Mutex
	entries map[string]repo.ChartVersions // name -> versions, newest first
}

// New opens (creating if needed) the storage directory and indexes the
// archives already in it.
func New(dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	s := &Server{dir: root, entries: map[string]repo.ChartVersions{}}
	files, err := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := root.ReadFile(filepath.Base(f))
		if err != nil {
			return nil, err
		}
		st, err := root.Stat(filepath.Base(f))
		if err != nil {
			return nil, err
		}
		md, err := metadata(data)
		if err != nil {
			return nil, fmt.Errorf("chartrepo: %s: %w", f, err)
		}
		s.add(md, data, st.ModTime())
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]bool{"healthy": true})
	})
	s.mux.HandleFunc("GET /index.yaml", s.index)
	s.mux.HandleFunc("GET /charts/{file}", s.archive)
	s.mux.HandleFunc("POST /api/charts", s.upload)
	s.mux.HandleFunc("GET /api/charts", s.all)
	s.mux.HandleFunc("GET /api/charts/{name}", s.versions)
	s.mux.HandleFunc("GET /api/charts/{name}/{version}", s.version)
	s.mux.HandleFunc("HEAD /api/charts/{name}/{version}", s.version)
	s.mux.HandleFunc("DELETE /api/charts/{name}/{version}", s.remove)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, 404, "not found")
	})
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// writeJSON answers v as ChartMuseum (gin) does: compact, no trailing newline.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = 500, []byte(`{"error":"cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// FileName is the archive name of a chart version, as ChartMuseum stores it.
func FileName(name, version string) string { return name + "-" + version + ".tgz" }

// metadata loads an archive with Helm's loader and returns its Chart.yaml.
func metadata(data []byte) (*chart.Metadata, error) {
	ch, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if ch.Metadata == nil {
		return nil, errors.New("chart has no metadata")
	}
	return ch.Metadata, nil
}

// add records an archive in the index (callers hold mu, or run before serving).
func (s *Server) add(md *chart.Metadata, data []byte, created time.Time) {
	sum := sha256.Sum256(data)
	idx := &repo.IndexFile{Entries: map[string]repo.ChartVersions{md.Name: nil}}
	file := FileName(md.Name, md.Version)
	if err := idx.MustAdd(md, file, "", hex.EncodeToString(sum[:])); err != nil {
		return // metadata was validated by the loader; MustAdd only defaults the API version
	}
	cv := idx.Entries[md.Name][0]
	cv.URLs = []string{"charts/" + file}
	cv.Created = created.UTC()
	s.entries[md.Name] = append(s.entries[md.Name], cv)
	sort.Sort(sort.Reverse(s.entries[md.Name]))
}

// snapshot is the index as Helm's IndexFile (entries shared, not copied).
func (s *Server) snapshot() *repo.IndexFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	idx := repo.NewIndexFile()
	for name, vs := range s.entries {
		idx.Entries[name] = append(repo.ChartVersions(nil), vs...)
	}
	return idx
}

func (s *Server) index(w http.ResponseWriter, _ *http.Request) {
	b, err := yaml.Marshal(s.snapshot())
	if err != nil {
		writeError(w, 500, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/x-yaml")
	_, _ = w.Write(b)
}

func (s *Server) archive(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	if filepath.Base(file) != file || !strings.HasSuffix(file, ".tgz") {
		writeError(w, 404, "object not found")
		return
	}
	data, err := s.dir.ReadFile(file)
	if err != nil {
		writeError(w, 404, "object not found")
		return
	}
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(data) //nolint:gosec // a chart archive served as application/x-tar, never as a page
}

func (s *Server) all(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, 200, s.snapshot().Entries)
}

func (s *Server) versions(w http.ResponseWriter, r *http.Request) {
	vs, ok := s.snapshot().Entries[r.PathValue("name")]
	if !ok {
		writeError(w, 404, "chart not found")
		return
	}
	writeJSON(w, 200, vs)
}

func (s *Server) version(w http.ResponseWriter, r *http.Request) {
	version := r.PathValue("version")
	if version == "latest" {
		version = ""
	}
	cv, err := s.snapshot().Get(r.PathValue("name"), version)
	if r.Method == http.MethodHead {
		status := 200
		if err != nil {
			status = 404
		}
		w.WriteHeader(status)
		return
	}
	if err != nil {
		writeError(w, 404, err.Error())
		return
	}
	writeJSON(w, 200, cv)
}

func (s *Server) remove(w http.ResponseWriter, r *http.Request) {
	name, version := r.PathValue("name"), r.PathValue("version")
	file := FileName(name, version)
	if filepath.Base(file) != file {
		writeError(w, 400, file+" is improperly formatted")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.dir.Remove(file); err != nil {
		writeError(w, 404, err.Error())
		return
	}
	vs := s.entries[name]
	for i, cv := range vs {
		if cv.Version == version {
			vs = append(vs[:i:i], vs[i+1:]...)
			break
		}
	}
	if len(vs) == 0 {
		delete(s.entries, name)
	} else {
		s.entries[name] = vs
	}
	writeJSON(w, 200, map[string]bool{"deleted": true})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	data, status, err := uploadBody(w, r)
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	md, err := metadata(data)
	if err != nil {
		writeError(w, 400, err.Error())
		return
	}
	file := FileName(md.Name, md.Version)
	if filepath.Base(file) != file {
		writeError(w, 400, file+" is improperly formatted")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.dir.Stat(file); err == nil {
		writeError(w, 409, "file already exists")
		return
	}
	if err := s.dir.WriteFile(file+".tmp", data, 0o600); err != nil {
		writeError(w, 500, err.Error())
		return
	}
	if err := s.dir.Rename(file+".tmp", file); err != nil {
		writeError(w, 500, err.Error())
		return
	}
	s.add(md, data, time.Now())
	writeJSON(w, 201, map[string]bool{"saved": true})
}

// uploadBody reads the archive from the raw body or the multipart field
// "chart", returning the status to answer on failure.
func uploadBody(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	body := http.MaxBytesReader(w, r.Body, maxUploadBytes)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, 500, err
		}
		return data, 0, nil
	}
	r.Body = body
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, 400, err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, 400, errors.New("no package or provenance file found in form fields chart and prov")
		}
		if err != nil {
			return nil, 400, err
		}
		if part.FormName() == "chart" && part.FileName() != "" {
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, 500, err
			}
			return data, 0, nil
		}
	}
}
