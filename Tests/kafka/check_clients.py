"""confluent-kafka (librdkafka) and kafka-python against `workbench serve kafka`, unchanged.

Run by `make test-kafka` (part of `make test`). Checks, with each client's own rules as the oracle:
- keyed records land on the partition the client's partitioner predicts: CRC-32 for librdkafka's
  default consistent_random, murmur2 for kafka-python (kafka.md §1.1, §1.4);
- two consumers in a group split the partitions as the range assignor does for their sorted member ids;
- committing, closing and restarting resumes with no record lost or repeated;
- after consuming everything, the lag is zero (committed offset = high watermark);
- gzip batches from both clients are stored as records; lz4 is refused with UNSUPPORTED_COMPRESSION_TYPE.
"""
import sys
import time
import zlib

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from kafka import KafkaConsumer, KafkaProducer
from kafka.partitioner.default import murmur2

bootstrap = sys.argv[1]
keys = [f"key{i}" for i in range(10)]


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


# 1. Partitioners: each client's own prediction, on 3 and 6 partitions.
for topic, n in (("orders3", 3), ("orders6", 6)):
    delivered = {}
    p = Producer({"bootstrap.servers": bootstrap})
    for k in keys:
        p.produce(topic, key=k, value="c-" + k, on_delivery=lambda err, m: delivered.__setitem__(m.key().decode(), (err, m.partition())))
    p.flush(15)
    check(all(err is None for err, _ in delivered.values()) and len(delivered) == 10, f"confluent delivery to {topic}: {delivered}")
    expected = {k: (zlib.crc32(k.encode()) & 0xFFFFFFFF) % n for k in keys}
    check({k: part for k, (_, part) in delivered.items()} == expected, f"librdkafka CRC32 partitions on {topic}")

    kp = KafkaProducer(bootstrap_servers=bootstrap)
    futures = {k: kp.send(topic, key=k.encode(), value=("p-" + k).encode()) for k in keys}
    kp.flush()
    got = {k: f.get(timeout=15).partition for k, f in futures.items()}
    expected = {k: (murmur2(k.encode()) & 0x7FFFFFFF) % n for k in keys}
    check(got == expected, f"kafka-python murmur2 partitions on {topic}: {got} vs {expected}")
    kp.close()
print("partitioners: librdkafka CRC32 and kafka-python murmur2 predicted every partition")


# 2. A group of two: the range assignor's split for the sorted member ids.
def confluent(name, group, **extra):
    conf = {"bootstrap.servers": bootstrap, "group.id": group, "client.id": name, "auto.offset.reset": "earliest",
            "enable.auto.commit": False, "partition.assignment.strategy": "range"}
    conf.update(extra)
    return Consumer(conf)


c1, c2 = confluent("alpha", "shop"), confluent("beta", "shop")
c1.subscribe(["orders3"])
c2.subscribe(["orders3"])
seen = []
deadline = time.time() + 40
while time.time() < deadline and len(seen) < 20:
    for c in (c1, c2):
        m = c.poll(0.2)
        if m is not None and not m.error():
            seen.append((m.partition(), m.offset()))
            c.commit(message=m, asynchronous=False)
check(len(seen) == 20 and len(set(seen)) == 20, f"group consumed {len(seen)} of 20 records, duplicates: {len(seen) - len(set(seen))}")
members = sorted([(c1.memberid(), c1), (c2.memberid(), c2)], key=lambda pair: pair[0])
# Range over 3 partitions and 2 members: the first member (by id) gets 0 and 1, the second gets 2.
check([tp.partition for tp in members[0][1].assignment()] == [0, 1], "range: first member owns partitions 0 and 1")
check([tp.partition for tp in members[1][1].assignment()] == [2], "range: second member owns partition 2")
# Lag is zero: every committed offset equals the partition's high watermark.
for c in (c1, c2):
    for tp in c.committed(c.assignment(), timeout=10):
        low, high = c.get_watermark_offsets(tp, timeout=10)
        check(tp.offset == high, f"lag on partition {tp.partition}: committed {tp.offset}, high watermark {high}")
c1.close()
c2.close()
print("group: range split [0, 1] / [2] by member id, 20 records once each, lag 0")


# 3. Commit, restart, resume: nothing lost, nothing repeated (kafka-python this time).
kp = KafkaProducer(bootstrap_servers=bootstrap)
for i in range(12):
    kp.send("resume", key=f"r{i}".encode(), value=str(i).encode())
kp.flush()
kp.close()


def kafka_python_consumer():
    return KafkaConsumer("resume", bootstrap_servers=bootstrap, group_id="resumers", auto_offset_reset="earliest",
                         enable_auto_commit=False, consumer_timeout_ms=8000)


first = kafka_python_consumer()
taken = []
for record in first:
    taken.append(int(record.value))
    first.commit()
    if len(taken) == 5:
        break
first.close()
second = kafka_python_consumer()
rest = [int(record.value) for record in second]
second.close()
check(len(taken) == 5 and sorted(taken + rest) == list(range(12)), f"resume: first {taken}, then {rest}")
print("resume: 5 records, commit, restart, the other 7: none lost, none repeated")


# 4. gzip batches from both clients are stored as records; lz4 is refused with
#    UNSUPPORTED_COMPRESSION_TYPE (no codec library for it here).
values = ["x" * 200 + str(i) for i in range(20)]
p = Producer({"bootstrap.servers": bootstrap, "compression.type": "gzip", "linger.ms": 20})
errors = []
for v in values:
    p.produce("zipped", key="k", value=v, on_delivery=lambda err, m: errors.append(err) if err else None)
p.flush(15)
check(not errors, f"confluent gzip produce: {errors[:1]}")
kp = KafkaProducer(bootstrap_servers=bootstrap, compression_type="gzip", linger_ms=20)
for v in values:
    kp.send("zipped", key=b"k", value=v.encode())
kp.flush()
kp.close()
c = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=5000)
c.assign([__import__("kafka").TopicPartition("zipped", 0)])
c.seek_to_beginning()
read = [m.value.decode() for m in c]
c.close()
check(read == values + values, f"gzip records read back: {len(read)} of 40")
lz4 = Producer({"bootstrap.servers": bootstrap, "compression.type": "lz4", "linger.ms": 20, "message.timeout.ms": 10000})
refused = []
for v in values:
    lz4.produce("zipped", value=v, on_delivery=lambda err, m: refused.append(err))
lz4.flush(15)
check(len(refused) == 20 and all(e is not None and e.code() == KafkaError.UNSUPPORTED_COMPRESSION_TYPE for e in refused),
      f"lz4 must be refused with UNSUPPORTED_COMPRESSION_TYPE: {refused[:1]}")
print("compression: gzip from both clients stored and read back; lz4 refused")
print("confluent-kafka and kafka-python against workbench serve kafka: ok")
