package access

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nats-io/nkeys"

	"github.com/ranstream/ranstream/streams"
)

// File names Generate writes under Options.Dir.
const (
	// AuthFile is the accounts block the NATS nodes include.
	AuthFile = "auth.conf"
	// TLSConfFile is the tls block the nodes include for clients and routes
	// (a comment only while TLS is off).
	TLSConfFile = "tls.conf"
	// TLSDir holds the CA and certificates.
	TLSDir = "tls"
)

// SeedFile is the name of a user's nkey seed file under Options.Dir, what
// --creds takes.
func SeedFile(user string) string { return user + ".nk" }

// Options configure Generate.
type Options struct {
	// Dir receives the seeds, auth.conf, tls.conf and, with TLS, tls/. Keep
	// it out of version control: the seeds are secrets.
	Dir string
	// Account is the NATS account of every user. Default RANSTREAM.
	Account string
	// TLS makes a CA, a server and a client certificate unless Dir/tls holds
	// them already. TLS is on whenever Dir/tls holds them.
	TLS bool
	// Hosts are the names and addresses the server certificate is valid for.
	// Default localhost, 127.0.0.1, ::1.
	Hosts []string
}

// Result says what Generate did.
type Result struct {
	// Users are the users with their permissions.
	Users []User
	// Keys are their public keys, by user name.
	Keys map[string]string
	// Created are the seed files made anew (seeds found are kept).
	Created []string
	// TLS reports whether tls.conf turns TLS on.
	TLS bool
}

// Generate writes one nkey seed per user (mode 0600) unless it exists, and
// writes auth.conf and tls.conf anew from the topology set: running it again
// after an upgrade updates the permissions and keeps every key. Delete a seed
// file to rotate that user's key.
func Generate(set streams.Set, o Options) (Result, error) {
	if o.Dir == "" {
		return Result{}, errors.New("access: no output directory")
	}
	if o.Account == "" {
		o.Account = DefaultAccount
	}
	if len(o.Hosts) == 0 {
		o.Hosts = DefaultHosts
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return Result{}, fmt.Errorf("access: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Result{}, fmt.Errorf("access: %w", err)
	}
	users, err := Users(set)
	if err != nil {
		return Result{}, err
	}
	res := Result{Users: users, Keys: map[string]string{}}
	for _, u := range users {
		pub, created, err := seed(filepath.Join(dir, SeedFile(u.Name)), u.Name)
		if err != nil {
			return Result{}, err
		}
		res.Keys[u.Name] = pub
		if created {
			res.Created = append(res.Created, SeedFile(u.Name))
		}
	}
	conf, err := Conf(o.Account, users, res.Keys)
	if err != nil {
		return Result{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, AuthFile), conf, 0o644); err != nil {
		return Result{}, fmt.Errorf("access: %w", err)
	}
	tlsDir := filepath.Join(dir, TLSDir)
	have, err := exists(filepath.Join(tlsDir, ServerFile))
	if err != nil {
		return Result{}, err
	}
	if o.TLS && !have {
		if err := makeTLS(tlsDir, o.Hosts); err != nil {
			return Result{}, err
		}
		have = true
	}
	tlsconf := []byte(noTLSConf)
	if have {
		tlsconf = tlsConf(filepath.Join(tlsDir, CAFile), filepath.Join(tlsDir, ServerFile), filepath.Join(tlsDir, serverKeyFile))
	}
	if err := os.WriteFile(filepath.Join(dir, TLSConfFile), tlsconf, 0o644); err != nil {
		return Result{}, fmt.Errorf("access: %w", err)
	}
	res.TLS = have
	return res, nil
}

// seed reads the user seed at path, or makes one there; it returns the public key.
func seed(path, user string) (pub string, created bool, err error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		defer wipe(b)
		kp, err := nkeys.ParseDecoratedNKey(b)
		if err != nil {
			return "", false, fmt.Errorf("access: seed %s: %w", path, err)
		}
		pub, err := kp.PublicKey()
		if err != nil || !nkeys.IsValidPublicUserKey(pub) {
			return "", false, fmt.Errorf("access: seed %s: not an nkey user seed", path)
		}
		return pub, false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", false, fmt.Errorf("access: %w", err)
	}
	kp, err := nkeys.CreateUser()
	if err != nil {
		return "", false, fmt.Errorf("access: nkey: %w", err)
	}
	defer kp.Wipe()
	if pub, err = kp.PublicKey(); err != nil {
		return "", false, fmt.Errorf("access: nkey: %w", err)
	}
	s, err := kp.Seed()
	if err != nil {
		return "", false, fmt.Errorf("access: nkey: %w", err)
	}
	defer wipe(s)
	content := fmt.Appendf(nil, "# ranstream NATS user %s (%s): its nkey seed, a secret.\n-----BEGIN USER NKEY SEED-----\n%s\n------END USER NKEY SEED------\n",
		user, pub, s)
	defer wipe(content)
	// O_EXCL: never replace a seed another run made meanwhile.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", false, fmt.Errorf("access: %w", err)
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return "", false, fmt.Errorf("access: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", false, fmt.Errorf("access: write %s: %w", path, err)
	}
	return pub, true, nil
}

func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("access: %w", err)
	}
	return true, nil
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 'x'
	}
}
