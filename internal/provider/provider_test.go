package provider

import "testing"

func TestFamilyFromExecutable(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/terraform-provider-drone":                "drone",
		"terraform-provider-galaxias":                      "galaxias",
		"/x/terraform-provider-drone_v1.2.3":               "drone",
		`C:\p\terraform-provider-galaxias_v0.1.0_x5.exe`:   "galaxias",
		"/tmp/.cache/provider/terraform-provider-galaxias": "galaxias",
	} {
		got, err := FamilyFromExecutable(in)
		if err != nil || got != want {
			t.Errorf("FamilyFromExecutable(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"terraform-provider-aws", "provider", "terraform-provider-"} {
		if got, err := FamilyFromExecutable(bad); err == nil {
			t.Errorf("FamilyFromExecutable(%q) = %q, want an error", bad, got)
		}
	}
}

func TestFactoryServesEachFamily(t *testing.T) {
	for family := range Families {
		f, err := Factory(family, "test")
		if err != nil || f() == nil {
			t.Fatalf("Factory(%q): %v", family, err)
		}
	}
	if _, err := Factory("nope", "test"); err == nil {
		t.Fatal("Factory(nope) did not fail")
	}
}
