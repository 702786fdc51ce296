package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baton-chat/baton/handoff"
	"github.com/baton-chat/baton/internal/testutil"
	"github.com/baton-chat/baton/store"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsCluster is three JetStream nodes in this process, clustered over
// routes on loopback.
type natsCluster struct {
	servers []*server.Server
}

// freePorts reserves n loopback ports and releases them for the cluster
// routes, which must be known before the nodes start.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// startNATSCluster starts a 3-node JetStream cluster on 127.0.0.1 and waits
// until it has a meta leader.
func startNATSCluster(t *testing.T) *natsCluster {
	t.Helper()
	ports := freePorts(t, 3)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	c := &natsCluster{}
	for i, p := range ports {
		opts := &server.Options{
			ServerName: fmt.Sprintf("baton-n%d", i),
			Host:       "127.0.0.1",
			Port:       -1,
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "baton-test", Host: "127.0.0.1", Port: p},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),

			JetStreamMaxMemory: 64 << 20,
			JetStreamMaxStore:  1 << 30,
		}
		srv, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("nats node %d: %v", i, err)
		}
		go srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			t.Fatalf("nats node %d not ready", i)
		}
		c.servers = append(c.servers, srv)
		t.Cleanup(srv.Shutdown)
	}
	nc := c.connect(t)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	testutil.CheckFor(t, 20*time.Second, 100*time.Millisecond, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := js.AccountInfo(ctx)
		return err
	})
	return c
}

// URLs is the client URL list of the running nodes.
func (c *natsCluster) URLs() string {
	var urls []string
	for _, s := range c.servers {
		if s.Running() {
			urls = append(urls, s.ClientURL())
		}
	}
	return strings.Join(urls, ",")
}

func (c *natsCluster) connect(t *testing.T) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(c.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// stop shuts down the node named name and returns whether there was one.
func (c *natsCluster) stop(name string) bool {
	for _, s := range c.servers {
		if s.Name() == name && s.Running() {
			s.Shutdown()
			s.WaitForShutdown()
			return true
		}
	}
	return false
}

// TestSlowNATSStreamLeaderFailure runs `baton serve --nats` against a
// 3-node JetStream cluster, checks the BATON stream is R3, escalates users
// to the 상담톡 dealer, stops the stream's leader part-way and keeps
// escalating. Every acknowledged escalation reaches the dealer under
// exactly one handoff id, POSTed once: nothing lost, nothing duplicated.
func TestSlowNATSStreamLeaderFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("NATS cluster failure: not in -short")
	}
	cluster := startNATSCluster(t)
	hook, slack, dealer := newSinkRecorder(t), newSinkRecorder(t), newSinkRecorder(t)
	setNotifyEnv(t, hook, slack)
	t.Setenv("BATON_DEALER_URL", dealer.srv.URL+"/baton")
	t.Setenv("BATON_DEALER_SECRET", "cluster-dealer-secret")
	t.Setenv("BATON_HOURS_OVERRIDE", "open")
	dataDir := t.TempDir()
	c := startChildArgs(t, dataDir, "--nats", cluster.URLs())

	js, err := jetstream.New(cluster.connect(t))
	if err != nil {
		t.Fatal(err)
	}
	streamInfo := func() (*jetstream.StreamInfo, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		s, err := js.Stream(ctx, handoff.StreamName)
		if err != nil {
			return nil, err
		}
		return s.Info(ctx)
	}
	var leader string
	testutil.CheckFor(t, 20*time.Second, 100*time.Millisecond, func() error {
		info, err := streamInfo()
		if err != nil {
			return err
		}
		if info.Config.Replicas != 3 {
			t.Fatalf("stream %s has %d replicas, want 3 on a cluster", handoff.StreamName, info.Config.Replicas)
		}
		if info.Cluster == nil || info.Cluster.Leader == "" || len(info.Cluster.Replicas) != 2 {
			return fmt.Errorf("stream cluster not formed: %+v", info.Cluster)
		}
		leader = info.Cluster.Leader
		return nil
	})

	const before, total, workers = 12, 36, 4 // the vip queue holds at most 50 waiting
	client := &http.Client{Timeout: 10 * time.Second}
	var mu sync.Mutex
	var acked []string
	next := 0
	stopped := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= total {
					return
				}
				user := fmt.Sprintf("cluster-%02d", i)
				ok, err := escalateOver(client, c.addr, user, "회원/계정", "VIP 전용 상담")
				if err != nil || !ok {
					t.Errorf("%s: escalation not acknowledged (err %v)", user, err)
					continue
				}
				mu.Lock()
				acked = append(acked, user)
				if len(acked) == before {
					close(stopped)
				}
				mu.Unlock()
			}
		})
	}
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("escalations stalled before the leader was stopped")
	}
	var msgsAtStop uint64
	if info, err := streamInfo(); err == nil {
		msgsAtStop = info.State.LastSeq
	}
	if !cluster.stop(leader) {
		t.Fatalf("stream leader %q is not a running node", leader)
	}
	wg.Wait()
	if len(acked) != total {
		t.Fatalf("%d of %d escalations acknowledged", len(acked), total)
	}
	testutil.CheckFor(t, 10*time.Second, 100*time.Millisecond, func() error {
		info, err := streamInfo()
		if err != nil {
			return err
		}
		if info.Cluster == nil || info.Cluster.Leader == "" || info.Cluster.Leader == leader {
			return fmt.Errorf("no new stream leader yet: %+v", info.Cluster)
		}
		if info.State.LastSeq <= msgsAtStop {
			return fmt.Errorf("stream last sequence %d, %d at the stop: nothing published since", info.State.LastSeq, msgsAtStop)
		}
		return nil
	})

	waitReached(t, 40*time.Second, "dealer", acked, func() map[string]map[string]int { return handoffPosts(t, dealer.requests()) })
	c.stop(t)

	db, err := store.Open(context.Background(), filepath.Join(dataDir, "baton.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := handoffPosts(t, dealer.requests())
	for _, u := range acked {
		h, ok, err := db.OpenHandoff(context.Background(), u)
		if err != nil || !ok {
			t.Errorf("%s: no open handoff (err %v)", u, err)
			continue
		}
		if len(got[u]) != 1 || got[u][h.ID] != 1 {
			t.Errorf("%s: dealer got %v, want exactly one POST of %s", u, got[u], h.ID)
		}
	}
	if len(got) != total {
		t.Errorf("dealer got handoffs of %d users, want %d", len(got), total)
	}
	t.Logf("stream leader %s stopped after %d of %d escalations; all %d reached the dealer once", leader, before, total, len(got))
}
