package access_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/ranstream/ranstream/pkg/natsbus/access"
)

// manifest is the part of a Kubernetes object these tests read.
type manifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name      string `yaml:"name"`
		Namespace string `yaml:"namespace"`
	} `yaml:"metadata"`
	Spec struct {
		// Deployment and Job.
		Template struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
		// ScaledObject.
		ScaleTargetRef struct {
			Name string `yaml:"name"`
		} `yaml:"scaleTargetRef"`
		Triggers []struct {
			Type     string            `yaml:"type"`
			Metadata map[string]string `yaml:"metadata"`
		} `yaml:"triggers"`
	} `yaml:"spec"`
	file string
}

type podSpec struct {
	Containers []struct {
		Name    string   `yaml:"name"`
		Command []string `yaml:"command"`
		Args    []string `yaml:"args"`
		Env     []struct {
			Name  string `yaml:"name"`
			Value string `yaml:"value"`
		} `yaml:"env"`
		VolumeMounts []volumeMount `yaml:"volumeMounts"`
	} `yaml:"containers"`
	Volumes []volume `yaml:"volumes"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
}

type volume struct {
	Name   string `yaml:"name"`
	Secret *struct {
		SecretName string `yaml:"secretName"`
	} `yaml:"secret"`
}

// credsSecret is the Secret whose file the container passes to --creds.
func (p podSpec) credsSecret(t *testing.T, where string) string {
	t.Helper()
	if len(p.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", where, len(p.Containers))
	}
	c := p.Containers[0]
	i := slices.Index(c.Args, "--creds")
	if i < 0 || i+1 >= len(c.Args) {
		t.Fatalf("%s: no --creds in %v", where, c.Args)
	}
	dir := path.Dir(c.Args[i+1])
	for _, m := range c.VolumeMounts {
		if m.MountPath != dir {
			continue
		}
		for _, v := range p.Volumes {
			if v.Name == m.Name && v.Secret != nil {
				return v.Secret.SecretName
			}
		}
	}
	t.Fatalf("%s: --creds %s is not in a mounted Secret", where, c.Args[i+1])
	return ""
}

func (p podSpec) env(name string) string {
	for _, e := range p.Containers[0].Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// k8sManifests reads every Kubernetes object under deploy/k8s (multi-document
// YAML), the Helm values of the NATS chart apart.
func k8sManifests(t *testing.T) []manifest {
	t.Helper()
	root := filepath.Join(repoRoot(t), "deploy", "k8s")
	var out []manifest
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) || d.Name() == "values.yaml" {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		dec := yaml.NewDecoder(f)
		for {
			var m manifest
			err := dec.Decode(&m)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", p, err)
				break
			}
			m.file, _ = filepath.Rel(root, p)
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no manifests under deploy/k8s")
	}
	return out
}

// Every manifest is a Kubernetes object; each service has one Deployment that
// joins NATS with its own user's Secret and leaves the topology to the admin's
// Job; each Deployment has a ScaledObject on the lag of its own durable consumer.
func TestK8s_manifestsMatchTheServicesAndTheirConsumers(t *testing.T) {
	set := mustLoad(t)
	deployments := map[string]manifest{}
	var scaled, jobs []manifest
	for _, m := range k8sManifests(t) {
		if m.APIVersion == "" || m.Kind == "" || m.Metadata.Name == "" {
			t.Errorf("%s: a document without apiVersion, kind or metadata.name: %+v", m.file, m)
			continue
		}
		switch m.Kind {
		case "Deployment":
			if _, dup := deployments[m.Metadata.Name]; dup {
				t.Errorf("%s: a second Deployment %s", m.file, m.Metadata.Name)
			}
			deployments[m.Metadata.Name] = m
		case "ScaledObject":
			scaled = append(scaled, m)
		case "Job":
			jobs = append(jobs, m)
		}
	}
	for _, s := range access.Services {
		d, ok := deployments[s]
		if !ok {
			t.Errorf("no Deployment for the %s service", s)
			continue
		}
		pod := d.Spec.Template.Spec
		where := d.file + ": Deployment " + s
		if got, want := pod.credsSecret(t, where), "ranstream-creds-"+s; got != want {
			t.Errorf("%s: --creds from Secret %s, want its own user's %s", where, got, want)
		}
		c := pod.Containers[0]
		if !slices.Contains(c.Args, "--apply-streams=false") {
			t.Errorf("%s: applies the topology itself (args %v); only the admin may", where, c.Args)
		}
		if len(c.Command) == 0 || path.Base(c.Command[0]) != s {
			t.Errorf("%s: runs %v, not the %s binary", where, c.Command, s)
		}
		if pod.env("NATS_URL") == "" {
			t.Errorf("%s: no NATS_URL", where)
		}
	}
	for name := range deployments {
		if !slices.Contains(access.Services, name) {
			t.Errorf("Deployment %s is no service of the pipeline", name)
		}
	}
	targets := map[string]bool{}
	for _, so := range scaled {
		where := so.file + ": ScaledObject " + so.Metadata.Name
		target := so.Spec.ScaleTargetRef.Name
		if _, ok := deployments[target]; !ok {
			t.Errorf("%s scales %q, which is no Deployment", where, target)
			continue
		}
		targets[target] = true
		cons, err := set.Consumer(target)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if len(so.Spec.Triggers) != 1 {
			t.Errorf("%s: %d triggers, want 1", where, len(so.Spec.Triggers))
			continue
		}
		tr := so.Spec.Triggers[0]
		md := tr.Metadata
		if tr.Type != "nats-jetstream" || md["stream"] != cons.Stream || md["consumer"] != cons.Config.Durable ||
			md["account"] != access.DefaultAccount || md["natsServerMonitoringEndpoint"] == "" || md["lagThreshold"] == "" {
			t.Errorf("%s: trigger %s %v, want nats-jetstream on %s/%s in account %s", where, tr.Type, md, cons.Stream, cons.Config.Durable, access.DefaultAccount)
		}
	}
	for name := range deployments {
		if !targets[name] {
			t.Errorf("Deployment %s has no ScaledObject", name)
		}
	}
	var applies bool
	for _, j := range jobs {
		pod := j.Spec.Template.Spec
		if slices.Contains(pod.Containers[0].Command, "apply-streams") {
			applies = true
			if got := pod.credsSecret(t, j.file); got != "ranstream-creds-"+access.Admin {
				t.Errorf("%s: applies the topology with Secret %s, want the admin's", j.file, got)
			}
		}
	}
	if !applies {
		t.Error("no Job applies the topology as admin")
	}
}

// The NATS chart's values: three JetStream nodes on file storage, with the
// auth.conf of gen-creds included from the Secret they mount.
func TestK8s_natsChartValuesIncludeTheUsers(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "k8s", "nats", "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Config struct {
			Cluster struct {
				Enabled  bool `yaml:"enabled"`
				Replicas int  `yaml:"replicas"`
			} `yaml:"cluster"`
			JetStream struct {
				Enabled   bool `yaml:"enabled"`
				FileStore struct {
					Enabled bool `yaml:"enabled"`
				} `yaml:"fileStore"`
			} `yaml:"jetstream"`
			Monitor struct {
				Enabled bool `yaml:"enabled"`
			} `yaml:"monitor"`
			Merge map[string]any `yaml:"merge"`
		} `yaml:"config"`
		Container struct {
			Patch []struct {
				Op    string      `yaml:"op"`
				Path  string      `yaml:"path"`
				Value volumeMount `yaml:"value"`
			} `yaml:"patch"`
		} `yaml:"container"`
		PodTemplate struct {
			Patch []struct {
				Op    string `yaml:"op"`
				Path  string `yaml:"path"`
				Value volume `yaml:"value"`
			} `yaml:"patch"`
		} `yaml:"podTemplate"`
	}
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	c := v.Config
	if !c.Cluster.Enabled || c.Cluster.Replicas != 3 || !c.JetStream.Enabled || !c.JetStream.FileStore.Enabled || !c.Monitor.Enabled {
		t.Errorf("want 3 JetStream nodes on file storage with monitoring: %+v", c)
	}
	var include string
	for k, val := range c.Merge {
		if strings.HasSuffix(k, "$include") {
			include, _ = val.(string)
		}
	}
	// The chart's config lives in /etc/nats-config; includes are relative to it.
	include = path.Join("/etc/nats-config", include)
	var secret string
	for _, m := range v.Container.Patch {
		if m.Path == "/volumeMounts/-" && path.Join(m.Value.MountPath, access.AuthFile) == include {
			for _, p := range v.PodTemplate.Patch {
				if p.Path == "/spec/volumes/-" && p.Value.Name == m.Value.Name && p.Value.Secret != nil {
					secret = p.Value.Secret.SecretName
				}
			}
		}
	}
	if secret != "ranstream-nats-auth" {
		t.Errorf("the include %s is not auth.conf of the Secret ranstream-nats-auth mounted by the chart (found %q)", include, secret)
	}
}
