package scripts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostileRows is the number of inputs the script runs.
const hostileRows = 21

// TestHostileInputs runs scripts/hostile-inputs.sh in its quick mode and
// checks its table: every input has a row, and every row exits 1 or 3
// within the time bound and prints no raw control byte and no hash.
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs authlint on 21 hostile inputs")
	}
	for _, tool := range []string{"bash", "go", "/usr/bin/time", "timeout", "setpriv", "mkfifo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	bin := filepath.Join(t.TempDir(), "authlint")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/authlint").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const bound = 10 * time.Second
	cmd := exec.Command("bash", "hostile-inputs.sh")
	cmd.Env = append(os.Environ(), "QUICK=1", "AUTHLINT="+bin, "TIMEOUT="+strconv.Itoa(int(bound/time.Second)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hostile-inputs.sh: %v\n%s", err, stderr.String())
	}
	t.Logf("\n%s", out)
	rows := 0
	for _, line := range strings.Split(string(out), "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) != 6 || strings.HasPrefix(line, "| input") {
			continue
		}
		rows++
		label := strings.TrimPrefix(cells[0], "| ")
		code, _ := strconv.Atoi(cells[1])
		wall, ok := parseWall(cells[2])
		var bad []string
		if code != 1 && code != 3 {
			bad = append(bad, "exit "+cells[1])
		}
		if !ok || wall >= bound {
			bad = append(bad, "wall time "+cells[2])
		}
		if p := strings.TrimSuffix(cells[5], " |"); p != "none" {
			bad = append(bad, p)
		}
		if len(bad) == 0 {
			continue
		}
		t.Errorf("%s: %s", label, strings.Join(bad, ", "))
	}
	if rows != hostileRows {
		t.Fatalf("%d rows, want %d:\n%s\n%s", rows, hostileRows, out, stderr.String())
	}
}

// parseWall parses /usr/bin/time's "m:ss.ss" or "h:mm:ss".
func parseWall(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 {
		return 0, false
	}
	var d time.Duration
	for _, p := range parts {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return 0, false
		}
		d = d*60 + time.Duration(f*float64(time.Second))
	}
	return d, true
}
