// A DCF Go function.
//
// Go functions do not run in local mode: the local backend runs java and python
// handlers only. `dcf function create` builds a Go function's image in the cluster
// (GO_VERSION, build_packages) and runs it there.
package main

import sdk "dcf.io/sdk"

// Handler is called once per request; the string returned is the reply.
func Handler(req sdk.Request) string {
	return string(req.Input)
}
