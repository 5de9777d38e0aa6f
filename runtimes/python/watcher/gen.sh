#!/bin/sh
# Regenerates the committed Python gRPC stubs of the watcher.
#
# Use Debian's protoc (protobuf-compiler, protobuf-compiler-grpc): stubs made by a
# newer protoc may refuse to load in Debian's python3-protobuf 3.21 (4.21.12), which
# is what the watcher runs on here. The stubs load on newer protobuf runtimes too.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
protos=$(cd "$here/../../../proto/src/main/proto" && pwd)
protoc="${PROTOC:-/usr/bin/protoc}"
plugin="${GRPC_PYTHON_PLUGIN:-/usr/bin/grpc_python_plugin}"

gen() {
  "$protoc" -I "$1" --python_out="$2" --grpc_python_out="$2" \
    --plugin=protoc-gen-grpc_python="$plugin" "$3"
}

# dcf/v1/watcher_pb2.py, dcf/v1/watcher_pb2_grpc.py (imported as dcf.v1.*)
gen "$protos" "$here" dcf/v1/watcher.proto
# _vendor/grpc_health/v1/health_pb2.py, health_pb2_grpc.py (imported as grpc_health.v1.*)
gen "$here/_vendor" "$here/_vendor" grpc_health/v1/health.proto
echo "generated with $("$protoc" --version)"
