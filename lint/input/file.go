package input

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
)

// HeadSize is how much of a file discovery reads to let the inputs decide,
// by content, which of them it belongs to: enough for the opening keys of
// a plan, a template or an ECS document.
const HeadSize = 64 << 10

// ReadFile reads a regular file of at most limit bytes, sizing its buffer
// from the file's size: one allocation and one read, and no read at all of
// a file that is too large.
func ReadFile(name string, limit int64) ([]byte, error) {
	return read(name, limit, false)
}

// ReadHead reads the first limit bytes of a regular file, or all of it
// when smaller.
func ReadHead(name string, limit int64) ([]byte, error) {
	return read(name, limit, true)
}

// ReadListedFile is ReadFile for a file that a folder's listing has just
// given as a regular file (os.DirEntry.Type, not a link): it leaves out the
// Stat that keeps ReadFile from opening a named pipe, one system call of
// five per file, since the listing already said what the Stat would. What
// was opened is still checked to be a regular file.
func ReadListedFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpened(f, name, limit, false)
}

// TooLargeError says a file is larger than canpull reads.
type TooLargeError struct {
	Name        string
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is %d bytes, more than canpull reads (%d)", e.Name, e.Size, e.Limit)
}

func tooLarge(name string, size, limit int64) error {
	return &TooLargeError{Name: name, Size: size, Limit: limit}
}

func read(name string, limit int64, head bool) ([]byte, error) {
	// Stat before opening: opening a named pipe would wait for a writer.
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpened(f, name, limit, head)
}

// readOpened reads a file opened for read.
func readOpened(f *os.File, name string, limit int64, head bool) ([]byte, error) {
	// The file may have changed since it was listed or stat'ed: ask again
	// of what was opened.
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	size := st.Size()
	if size > limit {
		if !head {
			return nil, tooLarge(name, size, limit)
		}
		size = limit
	}
	buf := make([]byte, size)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

// FileError is an error about a whole file, pointing at its start.
func FileError(name, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail,
		Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}}
}
