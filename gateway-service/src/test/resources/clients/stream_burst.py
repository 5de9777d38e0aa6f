"""Opens many streams at once through the gateway with grpcio (the C core, like the seed
clients) and prints how they ended, one line per method and outcome:
"<method><TAB><count><TAB><CODE> <details>".

Each stream sends one request and keeps its side open until the call ends, as a client
feeding frames from a generator does. Both dcf.v1.Gateway/Invokes and pb.Gateway/Invokes
take the same first two fields (function name, input), so one hand-encoded request serves
both. Usage: stream_burst.py HOST:PORT FUNCTION STREAMS_PER_METHOD
"""
import collections
import sys
import threading

import grpc

METHODS = ("/dcf.v1.Gateway/Invokes", "/pb.Gateway/Invokes")


def encode(function, payload):
    name = function.encode("utf-8")
    return bytes([0x0A, len(name)]) + name + bytes([0x12, len(payload)]) + payload


def main():
    address, function, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    channel = grpc.insecure_channel(address)
    results = {m: collections.Counter() for m in METHODS}
    lock = threading.Lock()

    def one(method):
        ended = threading.Event()

        def requests():
            yield encode(function, b"burst")
            ended.wait(60)  # keep the request side open until the call has ended

        call = channel.stream_stream(method, request_serializer=lambda b: b, response_deserializer=lambda b: b)
        try:
            for _ in call(requests(), timeout=60):
                pass
            key = "OK"
        except grpc.RpcError as e:
            key = "%s %s" % (e.code().name, e.details())
        finally:
            ended.set()
        with lock:
            results[method][key] += 1

    threads = [threading.Thread(target=one, args=(m,)) for m in METHODS for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for method, outcomes in results.items():
        for key, n in sorted(outcomes.items()):
            print("%s\t%d\t%s" % (method, n, key))


if __name__ == "__main__":
    main()
