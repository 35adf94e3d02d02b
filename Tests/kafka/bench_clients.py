"""Throughput of confluent-kafka (librdkafka) against one Kafka target: messages/s produced and consumed.

Usage: bench_clients.py BOOTSTRAP|mock [MESSAGES]

Run by `.ci/kafka-bench`, which measures `workbench serve kafka` and librdkafka's built-in mock cluster in
the same run and prints the ratio. Prints one JSON line:
  {"target": ..., "produce_msgs_per_s": ..., "consume_msgs_per_s": ..., "messages": M, ...extra timings}

Workload (identical for both targets):
- topic `bench` with 3 partitions (for the server, `.ci/kafka-bench` creates it with its --script; for the
  mock, see `start_mock_cluster` below);
- produce: M keyed records (M defaults to 100,000, see `messages` below) (key `k<i mod 1000>`, 100-byte value) with one Producer, linger.ms=5, acks=all,
  otherwise default batching; the clock runs from the first produce() until flush() returns with every
  record acknowledged (a delivery error fails the run);
- before consuming, the partitions' high watermarks must add up to M and their low watermarks be 0
  (everything landed and is still there);
- consume: one Consumer in a fresh group (auto.offset.reset=earliest, enable.auto.commit=false) subscribes
  to the topic, polling with consume(num_messages=10000); the clock runs from the moment the group hands it
  its assignment (on_assign) until all M records have been seen. The group join before that is not
  throughput but a protocol timer (librdkafka's mock holds the first join for its 3 s
  group.initial.rebalance.delay.ms), so it is reported apart: `consume_join_s` (subscribe() to assignment)
  and `consume_with_join_msgs_per_s` (M / time from subscribe() to the last record).

The mock cluster (target `mock`):
librdkafka's mock cluster does NOT implement CreateTopics (its request handler table, in
src/rdkafka_mock_handlers.c, has no CreateTopics entry: AdminClient.create_topics times out "waiting for
controller"), and it auto-creates unknown topics with its default of 4 partitions, so the obvious
`Producer({"test.mock.num.brokers": 3})` + `list_topics().brokers` trick gives a 4-partition topic. Instead we
use librdkafka's public mock API (rdkafka_mock.h) through ctypes, from the very librdkafka shared object
that confluent_kafka loaded: a dummy rd_kafka_t hosts `rd_kafka_mock_cluster_new(rk, 3)` (3 brokers, the
same as test.mock.num.brokers=3, which calls the same function internally), `rd_kafka_mock_topic_create(
mcluster, "bench", 3, 1)` makes the 3-partition topic, and `rd_kafka_mock_cluster_bootstraps()` gives the
host:port list, used as bootstrap.servers by the producer and the consumer exactly like for the server.
The mock's threads live in this process (as they would with test.mock.num.brokers), so with the mock the
broker work is done in the benchmark process; with the server it is done in the server's process.
If the ctypes route is unavailable, the fallback is the test.mock.num.brokers trick: one Producer with
{"test.mock.num.brokers": 3} owns the mock, its `list_topics().brokers` gives the bootstrap for the
consumer, and the producer then sends to partitions 0-2 only (partition = CRC-32(key) % 3, which is what
librdkafka's default partitioner would pick on 3 partitions); the auto-created 4th partition stays empty.
"""
import ctypes
import glob
import json
import os
import sys
import time
import uuid
import zlib

import confluent_kafka
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

TOPIC = "bench"
PARTITIONS = 3
KEYS = [f"k{i}".encode() for i in range(1000)]
VALUE = bytes(range(100))  # 100-byte value
DEADLINE_S = 600

target = sys.argv[1] if len(sys.argv) > 1 else "mock"
# 100,000 rather than 200,000: librdkafka's mock keeps only about 5 MB of log per partition (it drops the
# oldest message sets beyond that: rd_kafka_mock_partition_log_append, max_size, no public setter), which on
# 3 partitions holds about 135,000 of these records; with 200,000 the first ~65,000 are gone before the
# consumer starts, so it can never see all M (the low-watermark check below reports it).
messages = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000


def fail(what):
    print(json.dumps({"target": target, "error": what}))
    sys.exit(1)


def start_mock_cluster():
    """A 3-broker librdkafka mock cluster with a 3-partition `bench` topic; returns (bootstrap, keepalive)."""
    libdir = os.path.join(os.path.dirname(os.path.dirname(confluent_kafka.__file__)), "confluent_kafka.libs")
    candidates = sorted(glob.glob(os.path.join(libdir, "librdkafka*.so*"))) or ["librdkafka.so.1"]
    lib = ctypes.CDLL(candidates[0])
    lib.rd_kafka_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
    lib.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.rd_kafka_mock_topic_create.restype = ctypes.c_int
    lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
    lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_conf_new.restype = ctypes.c_void_p
    lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                      ctypes.c_size_t]
    errstr = ctypes.create_string_buffer(512)
    conf = lib.rd_kafka_conf_new()
    # The host handle never connects anywhere: silence its "No bootstrap.servers configured" warning.
    lib.rd_kafka_conf_set(conf, b"log_level", b"3", errstr, len(errstr))
    rk = lib.rd_kafka_new(0, conf, errstr, len(errstr))  # RD_KAFKA_PRODUCER; takes ownership of conf
    if not rk:
        raise RuntimeError(errstr.value.decode())
    mcluster = lib.rd_kafka_mock_cluster_new(rk, 3)
    if not mcluster:
        raise RuntimeError("rd_kafka_mock_cluster_new failed")
    err = lib.rd_kafka_mock_topic_create(mcluster, TOPIC.encode(), PARTITIONS, 1)
    if err != 0:
        raise RuntimeError(f"rd_kafka_mock_topic_create: error {err}")
    # The handles are kept for the life of the process (destroying them would stop the brokers).
    return lib.rd_kafka_mock_cluster_bootstraps(mcluster).decode(), (lib, rk, mcluster)


producer_conf = {"linger.ms": 5, "acks": "all"}
explicit_partitions = False  # True only in the test.mock.num.brokers fallback (4-partition auto-created topic)
if target == "mock":
    try:
        bootstrap, _mock = start_mock_cluster()
        producer_conf["bootstrap.servers"] = bootstrap
        mock_route = "ctypes rd_kafka_mock_cluster_new(3) + rd_kafka_mock_topic_create(bench, 3)"
    except (OSError, AttributeError, RuntimeError) as e:
        print(f"mock via ctypes unavailable ({e}); falling back to test.mock.num.brokers", file=sys.stderr)
        producer_conf["test.mock.num.brokers"] = 3
        explicit_partitions = True
        mock_route = "test.mock.num.brokers=3, partitions 0-2 of the auto-created topic"
else:
    bootstrap = target
    producer_conf["bootstrap.servers"] = bootstrap
    mock_route = None

# --- produce ---------------------------------------------------------------------------------------------
errors = []
acked = 0


def on_delivery(err, _msg):
    global acked
    if err is not None:
        errors.append(str(err))
    else:
        acked += 1


producer = Producer(producer_conf)
if explicit_partitions:
    # The mock lives inside this producer; its brokers' addresses serve as the consumer's bootstrap.
    md = producer.list_topics(timeout=10)
    bootstrap = ",".join(f"{b.host}:{b.port}" for b in md.brokers.values())
# Warm up: metadata for the topic (and, for the server, the connections) before the clock starts.
md = producer.list_topics(TOPIC, timeout=30)
if TOPIC not in md.topics or md.topics[TOPIC].error is not None:
    fail(f"topic {TOPIC} not available: {md.topics.get(TOPIC) and md.topics[TOPIC].error}")
if not explicit_partitions and len(md.topics[TOPIC].partitions) != PARTITIONS:
    fail(f"topic {TOPIC} has {len(md.topics[TOPIC].partitions)} partitions, expected {PARTITIONS}")

start = time.perf_counter()
produce = producer.produce
for i in range(messages):
    key = KEYS[i % 1000]
    kwargs = {"partition": zlib.crc32(key) % PARTITIONS} if explicit_partitions else {}
    while True:
        try:
            produce(TOPIC, VALUE, key, on_delivery=on_delivery, **kwargs)
            break
        except BufferError:  # local queue full (queue.buffering.max.messages): serve deliveries, retry
            producer.poll(0.05)
    if i % 1000 == 0:
        producer.poll(0)
remaining = producer.flush(DEADLINE_S)
produce_s = time.perf_counter() - start
if remaining or errors or acked != messages:
    fail(f"produce: {remaining} undelivered, {acked} acked, {len(errors)} errors {errors[:3]}")

# --- check everything landed -------------------------------------------------------------------------------
group = f"bench-{uuid.uuid4().hex[:8]}"
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                     "enable.auto.commit": False})
marks = [consumer.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=30) for p in range(PARTITIONS)]
if sum(high for _, high in marks) != messages:
    fail(f"high watermarks {marks} add up to {sum(h for _, h in marks)}, expected {messages} (topic must be fresh)")
if any(low != 0 for low, _ in marks):
    # librdkafka's mock keeps about 5 MB per partition and drops the oldest batches beyond that.
    fail(f"low watermarks {marks}: the target already dropped records (mock log limit?); use fewer messages")

# --- consume -----------------------------------------------------------------------------------------------
seen = 0
assigned_at = None


def on_assign(c, partitions):
    global assigned_at
    if assigned_at is None and partitions:
        assigned_at = time.perf_counter()


start = time.perf_counter()
consumer.subscribe([TOPIC], on_assign=on_assign)
deadline = start + DEADLINE_S
while seen < messages and time.perf_counter() < deadline:
    batch = consumer.consume(num_messages=10_000, timeout=0.5)
    for m in batch:
        if m.error() is not None:
            if m.error().code() == confluent_kafka.KafkaError._PARTITION_EOF:
                continue
            fail(f"consume: {m.error()}")
        seen += 1
end = time.perf_counter()
consume_s = end - start
consumer.close()
if seen != messages:
    fail(f"consumed {seen} of {messages} records in {consume_s:.1f}s")

result = {
    "target": target,
    "produce_msgs_per_s": round(messages / produce_s, 1),
    "consume_msgs_per_s": round(messages / (end - assigned_at), 1),
    "messages": messages,
    "produce_s": round(produce_s, 3),
    "consume_s": round(end - assigned_at, 3),
    "consume_join_s": round(assigned_at - start, 3),
    "consume_with_join_msgs_per_s": round(messages / consume_s, 1),
}
if mock_route:
    result["mock"] = mock_route
print(json.dumps(result))
