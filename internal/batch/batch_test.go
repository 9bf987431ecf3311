package batch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type item struct{ Name, Value string }

// server is a fake API: children by parent, counting list and single reads.
type server struct {
	mu       sync.Mutex
	children map[string]map[string]item
	lists    atomic.Int32
	reads    atomic.Int32
	listErr  error
}

func (s *server) list(parent string) ListFunc[item] {
	return func(context.Context) (map[string]item, error) {
		s.lists.Add(1)
		if s.listErr != nil {
			return nil, s.listErr
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		out := map[string]item{}
		for k, v := range s.children[parent] {
			out[k] = v
		}
		return out, nil
	}
}

var errNotFound = errors.New("not found")

func (s *server) read(parent, child string) ReadFunc[item] {
	return func(context.Context) (*item, error) {
		s.reads.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		v, ok := s.children[parent][child]
		if !ok {
			return nil, errNotFound
		}
		return &v, nil
	}
}

func newServer(parents, children int) *server {
	s := &server{children: map[string]map[string]item{}}
	for p := range parents {
		parent := fmt.Sprint("p", p)
		s.children[parent] = map[string]item{}
		for c := range children {
			key := fmt.Sprint(parent, "/c", c)
			s.children[parent][key] = item{Name: key, Value: "v"}
		}
	}
	return s
}

// readAll reads every child of every parent concurrently, as Terraform's
// refresh does.
func readAll(t *testing.T, l *Lists[item], s *server) {
	t.Helper()
	var wg sync.WaitGroup
	for parent, kids := range s.children {
		for key := range kids {
			wg.Go(func() {
				got, err := l.Read(t.Context(), parent, key, s.list(parent), s.read(parent, key))
				if err != nil || got.Name != key {
					t.Errorf("Read(%s, %s) = %v, %v", parent, key, got, err)
				}
			})
		}
	}
	wg.Wait()
}

func TestOneListPerParent(t *testing.T) {
	s := newServer(4, 100)
	l := New[item](TTL)
	readAll(t, l, s)
	if got := s.lists.Load(); got != 4 {
		t.Errorf("list requests = %d, want 4 (one per parent)", got)
	}
	if got := s.reads.Load(); got != 0 {
		t.Errorf("single reads = %d, want 0", got)
	}
}

func TestNilListsReadsEachChild(t *testing.T) {
	s := newServer(2, 10)
	var l *Lists[item]
	readAll(t, l, s)
	if s.lists.Load() != 0 || s.reads.Load() != 20 {
		t.Errorf("lists, reads = %d, %d; want 0, 20", s.lists.Load(), s.reads.Load())
	}
}

func TestFailedListFallsBackToSingleReads(t *testing.T) {
	s := newServer(2, 10)
	s.listErr = errors.New("403 forbidden")
	l := New[item](TTL)
	readAll(t, l, s)
	if got := s.reads.Load(); got != 20 {
		t.Errorf("single reads = %d, want 20", got)
	}
	if got := s.lists.Load(); got != 2 {
		t.Errorf("list requests = %d, want 2 (a failed list is not asked again per child)", got)
	}
}

func TestMissingFromListIsConfirmed(t *testing.T) {
	s := newServer(1, 3)
	l := New[item](TTL)
	ctx := t.Context()
	// Deleted: the list lacks it, and the confirming read says not found.
	_, err := l.Read(ctx, "p0", "p0/gone", s.list("p0"), s.read("p0", "p0/gone"))
	if !errors.Is(err, errNotFound) || s.reads.Load() != 1 {
		t.Fatalf("missing child: err %v after %d reads; want not found after 1 confirming read", err, s.reads.Load())
	}
	// A list that leaves a child out (another page) does not lose it.
	s.mu.Lock()
	s.children["p0"]["p0/late"] = item{Name: "p0/late"}
	s.mu.Unlock()
	got, err := l.Read(ctx, "p0", "p0/late", s.list("p0"), s.read("p0", "p0/late"))
	if err != nil || got.Name != "p0/late" {
		t.Fatalf("child left out of the list: %v, %v", got, err)
	}
	if s.lists.Load() != 1 {
		t.Errorf("list requests = %d, want 1", s.lists.Load())
	}
}

func TestWrittenChildIsReadFresh(t *testing.T) {
	s := newServer(1, 3)
	l := New[item](TTL)
	ctx := t.Context()
	if _, err := l.Read(ctx, "p0", "p0/c0", s.list("p0"), s.read("p0", "p0/c0")); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.children["p0"]["p0/c1"] = item{Name: "p0/c1", Value: "changed"}
	s.mu.Unlock()
	l.Wrote("p0/c1")
	got, err := l.Read(ctx, "p0", "p0/c1", s.list("p0"), s.read("p0", "p0/c1"))
	if err != nil || got.Value != "changed" {
		t.Fatalf("written child: %v, %v; want the changed value", got, err)
	}
	if s.reads.Load() != 1 {
		t.Errorf("single reads = %d, want 1 (the written child)", s.reads.Load())
	}
	// Every list was dropped: another child comes from a new list.
	if _, err := l.Read(ctx, "p0", "p0/c2", s.list("p0"), s.read("p0", "p0/c2")); err != nil {
		t.Fatal(err)
	}
	if s.lists.Load() != 2 {
		t.Errorf("list requests = %d, want 2 (the write dropped the first)", s.lists.Load())
	}
}

func TestListExpires(t *testing.T) {
	s := newServer(1, 2)
	l := New[item](time.Minute)
	now := time.Unix(1000, 0)
	l.now = func() time.Time { return now }
	ctx := t.Context()
	read := func() {
		if _, err := l.Read(ctx, "p0", "p0/c0", s.list("p0"), s.read("p0", "p0/c0")); err != nil {
			t.Fatal(err)
		}
	}
	read()
	now = now.Add(59 * time.Second)
	read()
	if s.lists.Load() != 1 {
		t.Fatalf("list requests within the TTL = %d, want 1", s.lists.Load())
	}
	now = now.Add(2 * time.Second)
	read()
	if s.lists.Load() != 2 {
		t.Errorf("list requests after the TTL = %d, want 2", s.lists.Load())
	}
}
