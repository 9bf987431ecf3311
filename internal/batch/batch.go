// Package batch serves the reads of a refresh from lists: the reads of many
// children of one parent (the secrets of a repository, the apps of a
// project) share one list request per parent instead of sending one
// request each.
//
// The rule, which the provider documentation states for users:
//   - A parent's list is requested once per provider process, by the first
//     read that needs it; the reads that arrive meanwhile wait for the same
//     request (single flight). It serves the reads that start within TTL of
//     its arrival, and is then dropped.
//   - A child written (created, updated, deleted) by this process is read
//     with its own request, and every list is dropped.
//   - A list that fails costs nothing but its request: the reads fall back
//     to their own requests.
//   - A child missing from its parent's list is confirmed with its own
//     request before the caller may report it gone, so a list that pages
//     or filters differently never turns into a false "re-create".
//
// Whatever a list cannot tell (a value the list omits) is not read through
// this package at all.
package batch

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// TTL is how long a list serves reads after it arrived: long enough for
// the refresh of a large configuration, short enough that a long-lived
// process never serves an old answer for long.
const TTL = 30 * time.Second

// Lists serves reads of children of type T from their parents' lists. The
// zero value is not usable: use New. A nil *Lists reads every child with
// its own request.
type Lists[T any] struct {
	ttl    time.Duration
	now    func() time.Time
	flight singleflight.Group

	mu      sync.Mutex
	lists   map[string]listed[T] // by parent
	written map[string]bool      // children written by this process
	writes  int                  // how many writes Wrote recorded
}

// listed is one list answer: the children by key, or the list's error.
type listed[T any] struct {
	at    time.Time
	items map[string]T
	err   error
}

// New returns Lists whose lists serve reads for ttl.
func New[T any](ttl time.Duration) *Lists[T] {
	return &Lists[T]{ttl: ttl, now: time.Now, lists: map[string]listed[T]{}, written: map[string]bool{}}
}

// ListFunc returns every child of one parent, by the child's key.
type ListFunc[T any] func(ctx context.Context) (map[string]T, error)

// ReadFunc reads one child with its own request.
type ReadFunc[T any] func(ctx context.Context) (*T, error)

// Read returns the child with the key child of parent: from the parent's
// list when it has it, otherwise from read (written by this process, list
// failed, or missing from the list). Child keys are unique across parents.
func (l *Lists[T]) Read(ctx context.Context, parent, child string, list ListFunc[T], read ReadFunc[T]) (*T, error) {
	if l == nil || l.wasWritten(child) {
		return read(ctx)
	}
	items, err := l.list(ctx, parent, list)
	if err != nil {
		return read(ctx)
	}
	if v, ok := items[child]; ok {
		return &v, nil
	}
	return read(ctx)
}

// Wrote records that this process writes the child: its reads are its own
// from now on, and no list read before the write serves anyone. An empty
// child (a record about to be created, its key not known yet) only drops
// the lists.
func (l *Lists[T]) Wrote(child string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if child != "" {
		l.written[child] = true
	}
	l.writes++
	clear(l.lists)
}

func (l *Lists[T]) wasWritten(child string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.written[child]
}

// list returns the parent's children: a list that arrived within ttl, or
// a new one shared by every read that asks while it is on its way.
func (l *Lists[T]) list(ctx context.Context, parent string, fn ListFunc[T]) (map[string]T, error) {
	l.mu.Lock()
	e, ok := l.lists[parent]
	writes := l.writes
	l.mu.Unlock()
	if ok && l.now().Sub(e.at) < l.ttl {
		return e.items, e.err
	}
	v, err, _ := l.flight.Do(parent, func() (any, error) {
		items, err := fn(ctx)
		l.mu.Lock()
		defer l.mu.Unlock()
		now := l.now()
		for p, old := range l.lists {
			if now.Sub(old.at) >= l.ttl {
				delete(l.lists, p)
			}
		}
		if l.writes == writes {
			// Kept only when no write happened while it was on its way.
			l.lists[parent] = listed[T]{at: now, items: items, err: err}
		}
		return items, err
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]T), nil
}
