package rules

import (
	"strconv"
	"strings"
)

// platformVersion is a Fargate platform version such as 1.4.0.
type platformVersion [3]int

// parsePlatformVersion reads "1.4.0" (or "1.4"). LATEST and anything else
// that is not a version give false: LATEST is the newest version, which
// supports everything canpull checks.
func parsePlatformVersion(s string) (platformVersion, bool) {
	var v platformVersion
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

func (v platformVersion) less(w platformVersion) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}

func (v platformVersion) String() string {
	return strconv.Itoa(v[0]) + "." + strconv.Itoa(v[1]) + "." + strconv.Itoa(v[2])
}
