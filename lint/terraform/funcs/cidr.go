package funcs

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

func (e *env) cidrFuncs() map[string]def {
	return map[string]def{
		"cidrhost":    {f: cidrHostFunc},
		"cidrnetmask": {f: cidrNetmaskFunc},
		"cidrsubnet":  {f: cidrSubnetFunc},
		"cidrsubnets": {f: cidrSubnetsFunc},
	}
}

// network is a parsed, masked CIDR prefix with big-integer arithmetic.
type network struct {
	bits   int      // 32 or 128
	prefix int      // prefix length
	base   *big.Int // first address
}

// parseNetwork parses a CIDR prefix. Like Terraform, it accepts IPv4 octets
// with leading zeros (as decimal), which Go's parser refuses.
func parseNetwork(s string) (network, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		if alt, ok := stripIPv4Zeros(s); ok {
			p, err = netip.ParsePrefix(alt)
		}
	}
	if err != nil {
		return network{}, fmt.Errorf("invalid CIDR expression: %q is not an address prefix like 10.0.0.0/16", s)
	}
	p = p.Masked()
	addr := p.Addr()
	return network{bits: addr.BitLen(), prefix: p.Bits(), base: new(big.Int).SetBytes(addr.AsSlice())}, nil
}

func stripIPv4Zeros(s string) (string, bool) {
	addr, length, ok := strings.Cut(s, "/")
	if !ok {
		return "", false
	}
	parts := strings.Split(addr, ".")
	if len(parts) != 4 {
		return "", false
	}
	for i, p := range parts {
		if p == "" || len(p) > 3 {
			return "", false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n > 255 {
			return "", false
		}
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".") + "/" + length, true
}

func (n network) size() *big.Int {
	return new(big.Int).Lsh(big.NewInt(1), uint(n.bits-n.prefix))
}

func (n network) addr(a *big.Int) string {
	b := make([]byte, n.bits/8)
	a.FillBytes(b)
	ip, _ := netip.AddrFromSlice(b)
	return ip.String()
}

func (n network) String() string {
	return n.addr(n.base) + "/" + strconv.Itoa(n.prefix)
}

// wholeNumber converts a known number to a big integer.
func wholeNumber(v cty.Value, arg int, what string) (*big.Int, error) {
	bf := v.AsBigFloat()
	if bf.IsInf() || !bf.IsInt() {
		return nil, function.NewArgErrorf(arg, "%s must be a whole number", what)
	}
	if exp := bf.MantExp(nil); exp > 256 {
		return nil, function.NewArgErrorf(arg, "%s is too large", what)
	}
	i, _ := bf.Int(nil)
	return i, nil
}

var cidrHostFunc = function.New(&function.Spec{
	Description: "Returns the IP address of the given host number within a CIDR prefix; negative numbers count back from the end.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		num, err := wholeNumber(args[1], 1, "hostnum")
		if err != nil {
			return cty.NilVal, err
		}
		size := n.size()
		host := new(big.Int).Set(num)
		if host.Sign() < 0 {
			host.Add(host, size)
		}
		if host.Sign() < 0 || host.Cmp(size) >= 0 {
			return cty.NilVal, function.NewArgErrorf(1, "prefix of %d bits cannot accommodate a host numbered %s", n.prefix, num)
		}
		return cty.StringVal(n.addr(host.Add(host, n.base))), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Description: "Returns the IPv4 netmask of a CIDR prefix in dotted-decimal form.",
	Params:      []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if n.bits != 32 {
			return cty.NilVal, function.NewArgErrorf(0, "IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		mask := uint32(0xffffffff) << (32 - n.prefix)
		if n.prefix == 0 {
			mask = 0
		}
		return cty.StringVal(fmt.Sprintf("%d.%d.%d.%d", mask>>24, mask>>16&0xff, mask>>8&0xff, mask&0xff)), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Description: "Returns the netnum-th subnet of a CIDR prefix extended by newbits bits.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		newbits, err := wholeNumber(args[1], 1, "newbits")
		if err != nil {
			return cty.NilVal, err
		}
		if newbits.Sign() < 0 {
			return cty.NilVal, function.NewArgErrorf(1, "newbits must not be negative")
		}
		if !newbits.IsInt64() || int64(n.prefix)+newbits.Int64() > int64(n.bits) {
			return cty.NilVal, function.NewArgErrorf(1, "insufficient address space to extend prefix of %d by %s", n.prefix, newbits)
		}
		netnum, err := wholeNumber(args[2], 2, "netnum")
		if err != nil {
			return cty.NilVal, err
		}
		nb := int(newbits.Int64())
		if netnum.Sign() < 0 || netnum.Cmp(new(big.Int).Lsh(big.NewInt(1), uint(nb))) >= 0 {
			return cty.NilVal, fmt.Errorf("prefix extension of %d does not accommodate a subnet numbered %s", nb, netnum) // as Terraform: not an argument error
		}
		sub := network{bits: n.bits, prefix: n.prefix + nb}
		sub.base = new(big.Int).Add(n.base, new(big.Int).Mul(netnum, sub.size()))
		return cty.StringVal(sub.String()), nil
	},
})

var cidrSubnetsFunc = function.New(&function.Spec{
	Description: "Allocates consecutive subnets of a CIDR prefix, each extending it by the given number of bits.",
	Params:      []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam:    &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:        function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		end := new(big.Int).Add(n.base, n.size()) // first address after the network
		pos := new(big.Int).Set(n.base)
		out := make([]cty.Value, 0, len(args)-1)
		var prev network
		for i, a := range args[1:] {
			bits, err := wholeNumber(a, i+1, "newbits")
			if err != nil {
				return cty.NilVal, err
			}
			if bits.Sign() < 1 {
				return cty.NilVal, function.NewArgErrorf(i+1, "must extend prefix by at least one bit")
			}
			if bits.Cmp(big.NewInt(32)) > 0 {
				return cty.NilVal, function.NewArgErrorf(i+1, "may not extend prefix by more than 32 bits")
			}
			length := n.prefix + int(bits.Int64())
			if length > n.bits {
				proto := "IPv4"
				if n.bits == 128 {
					proto = "IPv6"
				}
				return cty.NilVal, function.NewArgErrorf(i+1, "would extend prefix to %d bits, which is too long for an %s address", length, proto)
			}
			sub := network{bits: n.bits, prefix: length}
			size := sub.size()
			// Align up to the subnet size.
			start := new(big.Int).Add(pos, new(big.Int).Sub(size, big.NewInt(1)))
			start.Div(start, size).Mul(start, size)
			if new(big.Int).Add(start, size).Cmp(end) > 0 {
				after := "the start of " + n.String()
				if i > 0 {
					after = prev.String()
				}
				return cty.NilVal, function.NewArgErrorf(i+1, "not enough remaining address space for a subnet with a prefix of %d bits after %s", length, after)
			}
			sub.base = start
			out = append(out, cty.StringVal(sub.String()))
			pos = new(big.Int).Add(start, size)
			prev = sub
		}
		return cty.ListVal(out), nil
	},
})
