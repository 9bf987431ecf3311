package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// schemaTiming is one provider start, measured the way Terraform starts a
// plugin: exec with the go-plugin handshake environment, wait for the
// handshake line on stdout, dial the gRPC socket, call GetProviderSchema.
type schemaTiming struct {
	Handshake time.Duration // exec → handshake line
	Schema    time.Duration // exec → GetProviderSchema answered
	Bytes     int           // size of the encoded schema response
}

// The handshake settings of terraform-plugin-go's tf6server (protocol 6).
const (
	magicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

// rawCodec passes protobuf bytes through unchanged: an empty
// GetProviderSchema.Request encodes to zero bytes, and the answer is only
// measured, not decoded.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: %T", v)
	}
	return *b, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: %T", v)
	}
	*b = append((*b)[:0], data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }

// timeSchema starts the provider binary once and times the handshake and the
// schema request. The process is killed afterwards.
func timeSchema(ctx context.Context, binary string) (schemaTiming, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary)
	cmd.Env = append(os.Environ(), magicCookieKey+"="+magicCookieValue, "PLUGIN_PROTOCOL_VERSIONS=6",
		"TF_LOG=", "TF_LOG_PROVIDER=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return schemaTiming{}, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return schemaTiming{}, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return schemaTiming{}, fmt.Errorf("reading the handshake: %w", err)
	}
	var t schemaTiming
	t.Handshake = time.Since(start)
	// core-version|app-version|network|address|protocol[|cert]
	f := strings.Split(strings.TrimSpace(line), "|")
	if len(f) < 5 || f[4] != "grpc" {
		return t, fmt.Errorf("unexpected handshake %q", line)
	}
	target := f[3]
	if f[2] == "unix" {
		target = "unix://" + f[3]
	}
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return t, err
	}
	defer conn.Close()
	var req, resp []byte
	if err := conn.Invoke(ctx, "/tfplugin6.Provider/GetProviderSchema", &req, &resp, grpc.ForceCodec(rawCodec{})); err != nil {
		return t, fmt.Errorf("GetProviderSchema: %w", err)
	}
	t.Schema = time.Since(start)
	t.Bytes = len(resp)
	return t, nil
}

// Schema times provider starts for both families.
func (h *Harness) Schema(ctx context.Context) (map[string]SchemaStats, error) {
	out := map[string]SchemaStats{}
	for _, fam := range []string{"drone", "galaxias", "benchnull"} {
		bin := filepath.Join(h.provider, "terraform-provider-"+fam)
		var hs, sc []float64
		var size int
		for i := 0; i < max(1, h.opt.SchemaRuns)+1; i++ {
			t, err := timeSchema(ctx, bin)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", fam, err)
			}
			if i == 0 {
				continue // the first start warms the page cache
			}
			hs = append(hs, ms(t.Handshake))
			sc = append(sc, ms(t.Schema))
			size = t.Bytes
		}
		lo, hi := minMax(sc)
		out[fam] = SchemaStats{Runs: len(sc), HandshakeMs: F(median(hs)), SchemaMs: F(median(sc)), SchemaMinMs: F(lo), SchemaMaxMs: F(hi), SchemaBytes: size}
		h.opt.Logf("%-8s start→handshake %.1f ms, start→schema %.1f ms (median of %d; %d..%d ms), schema %d bytes",
			fam, median(hs), median(sc), len(sc), int(lo), int(hi), size)
	}
	return out, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
