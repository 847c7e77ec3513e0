package input

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(small, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, []byte(strings.Repeat("x", 100)), 0o644); err != nil {
		t.Fatal(err)
	}

	if src, err := ReadFile(small, 10); err != nil || string(src) != "{}" {
		t.Errorf("ReadFile(small) = %q, %v", src, err)
	}
	_, err := ReadFile(big, 10)
	var tooLarge *TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Size != 100 || tooLarge.Limit != 10 {
		t.Errorf("ReadFile(big) error %v", err)
	}
	if src, err := ReadHead(big, 10); err != nil || string(src) != "xxxxxxxxxx" {
		t.Errorf("ReadHead(big) = %q, %v", src, err)
	}
	if src, err := ReadHead(small, 10); err != nil || string(src) != "{}" {
		t.Errorf("ReadHead(small) = %q, %v", src, err)
	}
	if _, err := ReadFile(dir, 10); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("ReadFile(folder) error %v", err)
	}
	if _, err := ReadHead(filepath.Join(dir, "none"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadHead(missing) error %v", err)
	}

	// A File carries what discovery read, and is not read again; an empty
	// file read whole is still read.
	if src, err := (File{Path: big, Src: []byte("seen")}).Read(10); err != nil || string(src) != "seen" {
		t.Errorf("File.Read with Src = %q, %v", src, err)
	}
	if src, err := (File{Path: big, Src: []byte{}}).Read(10); err != nil || src == nil || len(src) != 0 {
		t.Errorf("File.Read of an empty file = %q, %v", src, err)
	}
	if _, err := (File{Path: big, Src: []byte("0123456789ab")}).Read(10); !errors.As(err, &tooLarge) {
		t.Errorf("File.Read over the limit: %v", err)
	}
	if src, err := (File{Path: small}).Read(10); err != nil || string(src) != "{}" {
		t.Errorf("File.Read without Src = %q, %v", src, err)
	}
}

// ReadListedFile reads as ReadFile does, and still refuses what is not a
// regular file once opened (a folder here: a listing may be out of date).
func TestReadListedFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.tf")
	if err := os.WriteFile(small, []byte("locals {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadListedFile(small, 100); err != nil || string(got) != "locals {}\n" {
		t.Errorf("ReadListedFile(small) = %q, %v", got, err)
	}
	var tooLarge *TooLargeError
	if _, err := ReadListedFile(small, 5); !errors.As(err, &tooLarge) {
		t.Errorf("ReadListedFile over the limit: %v, want a TooLargeError", err)
	}
	if _, err := ReadListedFile(dir, 100); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("ReadListedFile(a folder): %v, want not a regular file", err)
	}
	if _, err := ReadListedFile(filepath.Join(dir, "gone.tf"), 100); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadListedFile(a missing file): %v, want not found", err)
	}
}
