package rules

import "fmt"

// ServerSet is the set of servers a file is read by: a password file named on
// the command line may serve either, one referenced from an nginx config is
// read by nginx only.
type ServerSet uint8

// The servers.
const (
	Apache ServerSet = 1 << iota
	Nginx
	AnyServer = Apache | Nginx
)

// Has reports whether every server in o is in s.
func (s ServerSet) Has(o ServerSet) bool { return s&o == o }

// Only reports whether s is exactly o.
func (s ServerSet) Only(o ServerSet) bool { return s == o }

// String names the set as the messages do.
func (s ServerSet) String() string {
	switch s {
	case Apache:
		return "Apache"
	case Nginx:
		return "nginx"
	case AnyServer:
		return "Apache and nginx"
	}
	return "no server"
}

// ParseServerSet parses a --server value: any, apache or nginx.
func ParseServerSet(s string) (ServerSet, error) {
	switch s {
	case "any", "":
		return AnyServer, nil
	case "apache":
		return Apache, nil
	case "nginx":
		return Nginx, nil
	}
	return 0, fmt.Errorf("unknown server %q (want any, apache or nginx)", s)
}
