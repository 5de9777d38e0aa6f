#!/usr/bin/env bash
# Regenerates the pb stubs with Debian's protoc (3.21), which matches Debian's python3-protobuf.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../../../.."
protoc -I "$root/proto/src/main/proto" --python_out="$here" --grpc_python_out="$here" \
  --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin \
  compat/pb.proto compat/fxgateway.proto compat/gateway.proto
