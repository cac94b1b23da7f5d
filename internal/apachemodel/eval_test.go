package apachemodel

import (
	"slices"
	"testing"
)

// TestDecideCombine checks decideAny and decideAll against mod_authz_core's
// rules as priority lists, for every pair and every triple of decisions:
// <RequireAny> is granted if any child grants, else depends if any
// depends, else needs a user, else denied; <RequireAll> is denied if any
// child denies, else needs a user, else depends, else granted. A neutral
// child (limited to other methods) counts for nothing.
func TestDecideCombine(t *testing.T) {
	all := []Decision{Neutral, Granted, Denied, NeedUser, Depends}
	first := func(order []Decision, ds []Decision) Decision {
		for _, d := range order {
			if slices.Contains(ds, d) {
				return d
			}
		}
		return Neutral
	}
	anyOrder := []Decision{Granted, Depends, NeedUser, Denied}
	allOrder := []Decision{Denied, NeedUser, Depends, Granted}
	for _, x := range all {
		for _, y := range all {
			for _, z := range all {
				ds := []Decision{x, y, z}
				if got, want := decideAny(decideAny(x, y), z), first(anyOrder, ds); got != want {
					t.Errorf("any%v = %v, want %v", ds, got, want)
				}
				if got, want := decideAll(decideAll(x, y), z), first(allOrder, ds); got != want {
					t.Errorf("all%v = %v, want %v", ds, got, want)
				}
			}
		}
	}
}
