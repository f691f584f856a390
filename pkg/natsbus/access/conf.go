package access

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// DefaultAccount is the NATS account every ranstream user belongs to.
const DefaultAccount = "RANSTREAM"

// Conf renders the nats-server authorization of users (an accounts block:
// one account with JetStream, one nkey user each, keys by user name).
// Anonymous clients are refused: there is no no_auth_user.
func Conf(account string, users []User, keys map[string]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# ranstream: who may do what on the bus. Written by `ranstream gen-creds`;\n")
	b.WriteString("# run it again after an upgrade instead of editing (it keeps the keys).\n")
	fmt.Fprintf(&b, "accounts {\n  %s {\n    jetstream: enabled\n    users: [\n", account)
	for _, u := range users {
		key, ok := keys[u.Name]
		if !ok {
			return nil, fmt.Errorf("access: no public key for user %s", u.Name)
		}
		fmt.Fprintf(&b, "      # %s: %s\n", u.Name, u.About)
		if u.Permissions.All {
			fmt.Fprintf(&b, "      {nkey: %s}\n", key)
			continue
		}
		fmt.Fprintf(&b, "      {\n        nkey: %s\n        permissions: {\n", key)
		writeList(&b, "publish", u.Permissions.Publish, u.Permissions.DenyPublish)
		writeList(&b, "subscribe", u.Permissions.Subscribe, nil)
		b.WriteString("        }\n      }\n")
	}
	b.WriteString("    ]\n  }\n}\n")
	return b.Bytes(), nil
}

func writeList(b *bytes.Buffer, kind string, allow, deny []string) {
	fmt.Fprintf(b, "          %s: {\n", kind)
	for _, l := range []struct {
		name     string
		subjects []string
	}{{"allow", allow}, {"deny", deny}} {
		if len(l.subjects) == 0 {
			continue
		}
		fmt.Fprintf(b, "            %s: [\n", l.name)
		for _, s := range l.subjects {
			// Quoted: an unquoted $JS... would be read as a variable.
			fmt.Fprintf(b, "              %s\n", strconv.Quote(s))
		}
		b.WriteString("            ]\n")
	}
	b.WriteString("          }\n")
}

// tlsConf is the tls block the nodes include for client and route connections:
// a certificate for the server, its CA, and client certificates required.
func tlsConf(ca, cert, key string) []byte {
	var b strings.Builder
	b.WriteString("# TLS for client and route connections, written by `ranstream gen-creds --tls`.\n")
	b.WriteString("tls {\n")
	fmt.Fprintf(&b, "  cert_file: %s\n  key_file: %s\n  ca_file: %s\n", strconv.Quote(cert), strconv.Quote(key), strconv.Quote(ca))
	b.WriteString("  verify: true\n  timeout: 2\n}\n")
	return []byte(b.String())
}

// noTLSConf stands in for tlsConf when TLS is off, so the includes still resolve.
const noTLSConf = "# TLS is off: `ranstream gen-creds --tls` turns it on for client and route connections.\n"
