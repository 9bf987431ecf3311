package drone

import "testing"

// FuzzCron: the server's parser never panics on any expression, and the name
// slug is stable (slugifying a slug changes nothing), which is what keeps a
// normalised name from showing a diff.
func FuzzCron(f *testing.F) {
	f.Add("0 0 2 * * *", "Nightly Build")
	f.Add("@daily", "nightly")
	f.Add("@every 1h30m", "ÄÖÜ spaß")
	f.Add("*/5 * * * * MON-FRI", "--x--")
	f.Add("0 0 0 31 2 *", "")
	f.Fuzz(func(t *testing.T, expr, name string) {
		_ = ParseCron(expr)
		s := CronSlug(name)
		if again := CronSlug(s); again != s {
			t.Fatalf("CronSlug not idempotent: %q -> %q -> %q", name, s, again)
		}
	})
}
