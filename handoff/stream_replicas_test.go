package handoff

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestClusterStreamReplicas: the stream's replicas follow the cluster's
// known size — R2 on two servers (R3 needs a third peer), R3 from three on,
// and R3 as before when the size is unknown (one server known).
func TestClusterStreamReplicas(t *testing.T) {
	for _, tc := range []struct {
		known, want int
	}{
		{1, 3}, {2, 2}, {3, 3}, {5, 3},
	} {
		t.Run(fmt.Sprint(tc.known), func(t *testing.T) {
			if got := ClusterStreamReplicas(tc.known); got != tc.want {
				t.Errorf("ClusterStreamReplicas(%d): got %d, want %d", tc.known, got, tc.want)
			}
		})
	}
}

// TestSlowStreamOnTwoNodeCluster: against a real two-node JetStream cluster,
// EnsureStreamAuto creates the BATON stream with 2 replicas (it asked for 3,
// which such a cluster refuses, before), and an R3 request fails with an
// error naming the replicas asked and --nats.
func TestSlowStreamOnTwoNodeCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster test")
	}
	urls := startTwoNodeCluster(t)
	nc, err := nats.Connect(urls)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if got := StreamReplicas(nc); got != 2 {
		t.Fatalf("StreamReplicas on a two-node cluster: got %d (servers %v), want 2", got, nc.Servers())
	}
	_, err = EnsureStream(ctx, js, 3)
	if err == nil || !strings.Contains(err.Error(), "3 replicas") || !strings.Contains(err.Error(), "--nats") {
		t.Errorf("EnsureStream R3 on two nodes: got %v, want a refusal naming 3 replicas and --nats", err)
	}
	s, err := EnsureStreamAuto(ctx, js)
	if err != nil {
		t.Fatalf("EnsureStreamAuto on a two-node cluster: %v", err)
	}
	if got := s.CachedInfo().Config.Replicas; got != 2 {
		t.Errorf("stream replicas: got %d, want 2", got)
	}
	// Knowing fewer servers later (one down at a start) does not shrink it.
	if s, err = EnsureStream(ctx, js, 1); err != nil {
		t.Fatalf("EnsureStream R1 over an R2 stream: %v", err)
	}
	if got := s.CachedInfo().Config.Replicas; got != 2 {
		t.Errorf("stream replicas after asking 1: got %d, want 2 (kept)", got)
	}
}

// startTwoNodeCluster starts two clustered JetStream nodes on 127.0.0.1,
// waits for the cluster's meta leader and returns their client URLs.
func startTwoNodeCluster(t *testing.T) string {
	t.Helper()
	var ports []int
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
		ln.Close()
	}
	routes := server.RoutesFromStr(fmt.Sprintf("nats://127.0.0.1:%d,nats://127.0.0.1:%d", ports[0], ports[1]))
	var urls []string
	for i, p := range ports {
		srv, err := server.NewServer(&server.Options{
			ServerName: fmt.Sprintf("baton-two-%d", i), Host: "127.0.0.1", Port: -1,
			JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true,
			Cluster: server.ClusterOpts{Name: "baton-two", Host: "127.0.0.1", Port: p},
			Routes:  routes, JetStreamMaxMemory: 64 << 20, JetStreamMaxStore: 1 << 30,
		})
		if err != nil {
			t.Fatal(err)
		}
		go srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			t.Fatalf("node %d not ready", i)
		}
		t.Cleanup(srv.Shutdown)
		urls = append(urls, srv.ClientURL())
	}
	nc, err := nats.Connect(strings.Join(urls, ","))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	checkForT(t, 20*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := js.AccountInfo(ctx)
		return err
	})
	return strings.Join(urls, ",")
}
