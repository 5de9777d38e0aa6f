"""A Python client written the way the seed documents' clients are.

It uses the seed systems' own service stubs (package pb; generated from
proto/src/main/proto/compat/ by Debian's protoc, see regenerate.sh) the way the OpenFx
workshop does: the MQTT bridge calls FxGatewayStub.Invoke with a payload and prints
r.Msg; the video client feeds GatewayStub.Invokes a generator of frames and reads
each reply's Output. Invocations send no token, as the seed clients do; the management
call List sends the gateway's token from DCF_TOKEN (and is refused without it).
Usage: DCF_TOKEN=... seed_client.py HOST:PORT FUNCTION
"""
import os
import sys

import grpc

from compat import fxgateway_pb2_grpc, gateway_pb2_grpc, pb_pb2

address, function = sys.argv[1], sys.argv[2]
channel = grpc.insecure_channel(address)

# The MQTT bridge: one Invoke per message, the handler's output in Msg.
bridge = fxgateway_pb2_grpc.FxGatewayStub(channel)
reply = bridge.Invoke(pb_pb2.InvokeServiceRequest(Service=function, Input="battery 40%".encode("utf-8")), timeout=30)
print("invoke:" + reply.Msg)

# The video client: frames in through a generator, frames out in order.
frames = [bytes([i % 256]) * (1000 + i) + b"\xff\xd8" for i in range(30)]


def generator():
    for frame in frames:
        yield pb_pb2.InvokeServiceRequest(Service=function, Input=frame)


outputs = [i.Output for i in gateway_pb2_grpc.GatewayStub(channel).Invokes(generator(), timeout=60)]
print("invokes:" + ("in order" if outputs == frames else "mismatch (%d replies)" % len(outputs)))

print("health:" + bridge.HealthCheck(pb_pb2.Empty(), timeout=10).Msg)
try:
    bridge.List(pb_pb2.Empty(), timeout=10)
    print("list without token:allowed")
except grpc.RpcError as e:
    print("list without token:" + e.code().name)
token = [("authorization", "Bearer " + os.environ["DCF_TOKEN"])]
names = [f.Name for f in bridge.List(pb_pb2.Empty(), timeout=10, metadata=token).Functions]
print("list:" + ",".join(sorted(names)))
