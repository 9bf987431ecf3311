package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/drone/drone-go/drone"
)

// APIVersion is a dialect of Drone's API, as the provider's api_version
// attribute names it.
type APIVersion string

// The dialects.
const (
	apiAuto APIVersion = "auto" // detect it from the server's version
	API1    APIVersion = "1"    // Drone 1.x and 2.x
	api08   APIVersion = "0.8"  // Drone 0.8
)

// APIVersions are the values api_version accepts.
var APIVersions = []string{string(apiAuto), string(API1), string(api08)}

// How the API dialect in use was chosen.
const (
	sourceDetected   = "detected"   // from the version the server reports
	sourceConfigured = "configured" // api_version or DRONE_API_VERSION
	sourceAssumed    = "assumed"    // the server reports no version: 1.x assumed
)

// ServerInfo is what the provider knows of the server, found once per run.
type ServerInfo struct {
	Server  string     // base URL
	Version string     // as the server reports it, e.g. "0.8.9"; "" when it reports none
	API     APIVersion // the dialect in use: API1 or api08
	Source  string     // sourceDetected, sourceConfigured or sourceAssumed
}

// Name names the server in messages: "Drone 0.8.9", or "Drone (version not
// reported, API 0.8)".
func (i ServerInfo) Name() string {
	if i.Version != "" {
		return "Drone " + i.Version
	}
	return "Drone (version not reported, API " + string(i.API) + ")"
}

// ParseAPIVersion checks an api_version value ("" means auto).
func ParseAPIVersion(s string) (APIVersion, error) {
	switch v := APIVersion(strings.TrimSpace(s)); v {
	case "", apiAuto:
		return apiAuto, nil
	case API1, api08:
		return v, nil
	}
	return "", fmt.Errorf("api_version must be one of %s, got %q", strings.Join(APIVersions, ", "), s)
}

// dialectOf returns the API dialect of a Drone version string
// ("0.8.9" → 0.8, "1.10.1" or "v2.20.0" → 1), false when it is not one.
func dialectOf(version string) (APIVersion, bool) {
	major, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(version), "v"), ".")
	n, err := strconv.Atoi(major)
	switch {
	case err != nil:
		return "", false
	case n == 0:
		return api08, true
	default:
		return API1, true
	}
}

// versionHeader is the header Drone 0.8 sets on every answer.
const versionHeader = "X-Drone-Version"

// ServerVersion asks the server for its version: GET /version (Drone 0.8
// and 1.x answer {"version": ...}), or the X-Drone-Version header of that
// answer. It returns "" with no error when the server answers but reports
// no version (a 404, a page that is not JSON).
func (c *Client) ServerVersion(ctx context.Context) (string, error) {
	var v drone.Version
	hdr, err := c.send(ctx, http.MethodGet, "/version", nil, &v)
	if err == nil && v.Version != "" {
		return v.Version, nil
	}
	if h := strings.TrimSpace(hdr.Get(versionHeader)); h != "" {
		return h, nil
	}
	var unexpected *unexpectedAnswerError
	if err == nil || errors.As(err, &unexpected) || status(err) == http.StatusNotFound {
		return "", nil
	}
	return "", err
}

// Detect finds the server's version and chooses the API dialect: the
// configured one, or (with apiAuto) the one of the reported version, 1.x
// when it reports none. A version that contradicts the configured
// dialect is returned as a warning.
func (c *Client) Detect(ctx context.Context, configured APIVersion) (ServerInfo, string, error) {
	info := ServerInfo{Server: c.server}
	version, err := c.ServerVersion(ctx)
	if err != nil && configured == apiAuto {
		return info, "", fmt.Errorf("finding the Drone version (GET %s/version): %w. Set api_version (or "+
			"DRONE_API_VERSION) to \"1\" or \"0.8\" to skip the detection", c.server, err)
	}
	info.Version = version
	detected, known := dialectOf(version)
	var warning string
	switch {
	case configured != apiAuto:
		info.API, info.Source = configured, sourceConfigured
		if known && detected != configured {
			warning = fmt.Sprintf("api_version is %q, but the server reports version %s, which speaks API %s. "+
				"The provider uses API %s as configured.", configured, version, detected, configured)
		}
	case known:
		info.API, info.Source = detected, sourceDetected
	default:
		info.API, info.Source = API1, sourceAssumed
	}
	c.name = info.Name()
	return info, warning, nil
}
