//go:build unix

package input

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A named pipe in a pull request must not hang canpull: opening one for
// reading waits for a writer, so it is refused before it is opened.
func TestReadRefusesPipes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "main.tf")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	for _, read := range []func(string, int64) ([]byte, error){ReadFile, ReadHead} {
		if _, err := read(p, 10); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("error %v", err)
		}
	}
}
