// Package sdk is what a DCF Go handler sees: one call's input.
//
// A Go function is a main package with
//
//	func Handler(req sdk.Request) string
//
// compiled together with DCF's Go watcher inside the cluster.
package sdk

// Request is one call's input.
type Request struct {
	// Input is the raw payload (binary-safe).
	Input []byte
	// ContentType is the payload's media type; empty when unknown.
	ContentType string
	// Headers holds the caller's metadata, keys in lower case.
	Headers map[string]string
	// Path is the rest of the HTTP path after /function/<name>; empty for gRPC.
	Path string
	// Method is the HTTP method; empty for gRPC.
	Method string
	// Function is the function's name.
	Function string
}
