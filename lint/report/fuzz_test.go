package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

// FuzzWrite feeds every format arbitrary source text and ranges, which
// need not agree with each other: nothing may panic, and SARIF regions
// must stay well formed.
func FuzzWrite(f *testing.F) {
	f.Add(mainTF, 5, 5, 84, 5, 29, 108, "m\nx", "# T\n\n`c` **b**")
	f.Add("a\r\nb\n", 2, 1, 3, 9, 1, 99, "", "")
	f.Add("", 1, 1, 0, 1, 1, 0, "%:,", "```")
	f.Add("x\n\n", 3, 1, 3, 4, 0, 0, "\x1b", "")
	f.Fuzz(func(t *testing.T, src string, sl, sc, sb, el, ec, eb int, msg, doc string) {
		r := hcl.Range{Filename: "f.tf", Start: hcl.Pos{Line: sl, Column: sc, Byte: sb}, End: hcl.Pos{Line: el, Column: ec, Byte: eb}}
		f := lint.Finding{RuleID: "CP1", RuleName: "n", Severity: lint.Error, Message: msg, Fix: msg, Range: r, Key: msg,
			Related: []lint.Related{{Range: r, Message: msg}, {Range: r, Message: "subnet " + msg + " → route table " + msg + ": " + msg}}}
		hidden := f
		hidden.Suppression = &lint.Suppression{Kind: lint.SuppressedInSource, Justification: msg, Range: r}
		res := &driver.Result{
			Findings:   []lint.Finding{f},
			Suppressed: []lint.Finding{hidden},
			Errors:     hcl.Diagnostics{{Severity: hcl.DiagError, Summary: msg, Detail: msg, Subject: &r}},
			Sources:    map[string][]byte{"f.tf": []byte(src)},
		}
		rules := []*lint.Rule{{ID: "CP1", Name: "n", Severity: lint.Error, Summary: msg, Doc: doc}}
		for _, format := range Formats {
			var b bytes.Buffer
			if err := Write(&b, res, Options{Format: format, Color: true, Rules: rules}); err != nil {
				t.Fatal(err)
			}
			switch format {
			case "junit", "checkstyle":
				// Well-formed XML, whatever the text held.
				dec := xml.NewDecoder(&b)
				for {
					if _, err := dec.Token(); err != nil {
						if !errors.Is(err, io.EOF) {
							t.Fatalf("%s: not well-formed XML: %v", format, err)
						}
						break
					}
				}
				continue
			case "gitlab":
				if !json.Valid(b.Bytes()) {
					t.Fatalf("gitlab: not JSON")
				}
				continue
			case "sarif":
			default:
				continue
			}
			var log sarifLog
			if err := json.Unmarshal(b.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			for _, res := range log.Runs[0].Results {
				for _, loc := range res.Locations {
					reg := loc.PhysicalLocation.Region
					if reg == nil {
						continue
					}
					if reg.StartLine < 1 || reg.EndLine < reg.StartLine ||
						(reg.StartColumn != 0 && (reg.StartColumn < 1 || (reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn))) {
						t.Fatalf("region %+v for range %v", *reg, r)
					}
				}
			}
		}
	})
}
