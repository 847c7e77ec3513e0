package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The on-disk cache: manifests and configs by digest, kept for good (a
// digest names its content, which cannot change), and each tag's digest
// for a short time (a tag can be pushed again). Only answers are cached:
// never a failure, never a credential. A cache that cannot be read or
// written is no cache: the registry is asked.
//
//	DIR/blobs/sha256/HEX      the bytes, checked against HEX on every read
//	DIR/blobs/sha256/HEX.type their media type
//	DIR/tags/HASH.json        a tag's descriptor and when it was read
type cache struct {
	dir string
	ttl time.Duration
	now func() time.Time
}

// maxCached bounds what is read back from the cache.
const maxCached = 8 << 20

type tagEntry struct {
	Ref       string    `json:"ref"`
	Digest    string    `json:"digest"`
	MediaType string    `json:"mediaType"`
	Size      int64     `json:"size"`
	Time      time.Time `json:"time"`
}

// descriptor returns a reference's descriptor from the cache: a digest
// whose manifest is cached, or a tag read within the TTL.
func (c *cache) descriptor(ref name.Reference) (*v1.Descriptor, bool) {
	if c == nil {
		return nil, false
	}
	if d, ok := ref.(name.Digest); ok {
		h, err := v1.NewHash(d.DigestStr())
		if err != nil {
			return nil, false
		}
		b, ok := c.blob(h)
		if !ok {
			return nil, false
		}
		mt, _ := os.ReadFile(c.blobPath(h) + ".type")
		return &v1.Descriptor{Digest: h, Size: int64(len(b)), MediaType: types.MediaType(mt)}, true
	}
	raw, err := readLimited(c.tagPath(ref))
	if err != nil {
		return nil, false
	}
	var e tagEntry
	if json.Unmarshal(raw, &e) != nil || e.Ref != ref.Name() {
		return nil, false
	}
	if age := c.now().Sub(e.Time); age < 0 || age > c.ttl {
		return nil, false
	}
	h, err := v1.NewHash(e.Digest)
	if err != nil {
		return nil, false
	}
	return &v1.Descriptor{Digest: h, Size: e.Size, MediaType: types.MediaType(e.MediaType)}, true
}

// putTag records a tag's descriptor.
func (c *cache) putTag(ref name.Reference, d *v1.Descriptor) {
	if c == nil {
		return
	}
	if _, ok := ref.(name.Tag); !ok {
		return
	}
	raw, err := json.Marshal(tagEntry{Ref: ref.Name(), Digest: d.Digest.String(), MediaType: string(d.MediaType), Size: d.Size, Time: c.now()})
	if err == nil {
		c.write(c.tagPath(ref), raw)
	}
}

// blob returns cached bytes whose sha256 digest is h.
func (c *cache) blob(h v1.Hash) ([]byte, bool) {
	if c == nil || h.Algorithm != "sha256" {
		return nil, false
	}
	b, err := readLimited(c.blobPath(h))
	if err != nil {
		return nil, false
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != h.Hex {
		return nil, false
	}
	return b, true
}

// putBlob stores bytes under their digest.
func (c *cache) putBlob(h v1.Hash, mt types.MediaType, b []byte) {
	if c == nil || h.Algorithm != "sha256" || len(b) > maxCached {
		return
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != h.Hex {
		return
	}
	c.write(c.blobPath(h)+".type", []byte(mt))
	c.write(c.blobPath(h), b)
}

func (c *cache) blobPath(h v1.Hash) string {
	return filepath.Join(c.dir, "blobs", "sha256", h.Hex)
}

func (c *cache) tagPath(ref name.Reference) string {
	sum := sha256.Sum256([]byte(ref.Name()))
	return filepath.Join(c.dir, "tags", hex.EncodeToString(sum[:])+".json")
}

// write replaces a file atomically; errors leave the cache as it was.
func (c *cache) write(path string, b []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
}

func readLimited(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > maxCached {
		return nil, os.ErrInvalid
	}
	return os.ReadFile(path)
}

// CacheDir is where canpull caches registry answers: the user's cache
// folder, canpull/registry. "" when there is none.
func CacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "canpull", "registry")
}
