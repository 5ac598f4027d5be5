#!/usr/bin/env python3
"""Writes the seed corpus fuzz/seeds/ for slareport-fuzz from sample-data/ and hand-made cases.

Each file is `[flags][chunk]payload` (see Sources/SLAReportFuzzSupport/IngestFuzzHarness.swift):
flags bits 0-1 table (0 orders, 1 logistics, 2 tickets), bits 2-3 encoding (0 auto, 1 utf-8,
2 gb18030), bit 4 tab, bits 5-6 prepended header (1 English, 2 Chinese, 3 Chinese GB18030),
bit 7 tiny record caps; chunk indexes [whole, 1, 2, 3, 7, 13, 64, 4096].
"""
import gzip, os, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = os.path.join(root, "fuzz", "seeds")
os.makedirs(out, exist_ok=True)
ORD, LOG, TIC = 0, 1, 2

def sample(name, limit=3000):
    path = os.path.join(root, "sample-data", name)
    data = gzip.open(path).read(limit * 4) if name.endswith(".gz") else open(path, "rb").read(limit * 4)
    cut = data[:limit]
    return cut[: cut.rfind(b"\n") + 1]

def gz(b):
    return gzip.compress(b, mtime=0)

def put(name, table, payload, enc=0, tab=False, header=0, tiny=False, chunk=0):
    flags = table | enc << 2 | (0x10 if tab else 0) | header << 5 | (0x80 if tiny else 0)
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([flags, chunk]) + payload)

orders = sample("orders-2026-11-22-dump2.csv")
orders_gbk = sample("orders-gbk-2026-11-20.csv")
orders_gz = sample("orders-2026-11-21.csv.gz")
logistics_tsv = sample("logistics-2026-11-22.tsv")
logistics_gz = sample("logistics-2026-11-21.csv.gz")
tickets = sample("tickets-2026-11-22-dump2.csv")
tickets_zh = sample("tickets-zh-2026-11-22.csv")
tickets_gz = sample("tickets-2026-11-21.csv.gz")

put("orders-plain", ORD, orders)
put("orders-bom", ORD, b"\xef\xbb\xbf" + orders, chunk=1)
put("orders-gbk", ORD, orders_gbk, chunk=4)
put("orders-gbk-forced", ORD, orders_gbk, enc=2, chunk=7)
put("orders-gzip", ORD, gz(orders_gz))
put("orders-gzip-multimember", ORD, gz(orders_gz[:700]) + gz(orders_gz[700:]), chunk=3)
put("orders-gzip-truncated", ORD, gz(orders)[:-9])
put("orders-gzip-trailing-zeros", ORD, gz(orders) + b"\0" * 9, chunk=2)
put("orders-gzip-trailing-garbage", ORD, gz(orders) + b"garbage")
put("orders-crlf", ORD, orders.replace(b"\n", b"\r\n"), chunk=5)
put("orders-cr", ORD, orders.replace(b"\n", b"\r"), chunk=2)
put("orders-rows-only", ORD, orders[orders.find(b"\n") + 1 :], header=1, chunk=6)
put("orders-amounts", ORD, b"O1,2026-01-02 03:04,,,,,,,,1.005,\nO2,2026-01-02,,,,,,,,-12.345,2026-01-03\nO3,2026/1/2 3:04:05,,,,,,,,1e5,\n", header=1)
put("logistics-tsv", LOG, logistics_tsv, tab=True)
put("logistics-tsv-gzip", LOG, gz(logistics_tsv), tab=True, chunk=3)
put("logistics-csv-gzip", LOG, gz(logistics_gz))
put("logistics-zh", LOG, "运单号,订单号,快递公司,物流节点,节点时间,异常类型\nSF1,O1,顺丰,签收,2026-03-08 02:30,\nSF1,O1,顺丰,异常,2026-11-01T01:30:00-04:00,破损\n".encode(), chunk=7)
put("logistics-rows-tab", LOG, b"SF1\tO1\tSF\tdelivered\t2026-03-08T02:30:00.123456789Z\t\nSF2\t\t\texception\t2026-11-01 01:30\tlost\n", tab=True, header=1)
put("tickets-plain", TIC, tickets)
put("tickets-zh", TIC, tickets_zh, chunk=2)
put("tickets-zh-gb18030", TIC, tickets_zh.decode("utf-8-sig").encode("gb18030"), chunk=5)
put("tickets-gzip", TIC, gz(tickets_gz), chunk=6)
put("tickets-quoted-newlines", TIC, b'ticket_id,created_at,type,category,satisfaction\nT1,2026-01-01 00:00,complaint,"multi\nline\r\nfield ""quoted"", comma",5\n"T2" ,2026-01-01,repair,"open quote\n', chunk=1)
put("tickets-stray-quote", TIC, b'ticket_id,created_at,type\nT1,2026-01-01 00:00,complaint\nT"2,2026-01-01,repair\n"T3"x,2026-01-01,repair\nT4,2026-01-01,refund,extra\n')
put("tickets-runaway", TIC, b'ticket_id,created_at,type\n"' + b"x\n" * 10 + b'",2026-01-01,return\nT5,2026-01-01,return\n', tiny=True, chunk=1)
put("tickets-zh-rows-gb", TIC, "T1,O1,P1,M1,2026-03-08 02:30,APP,张三,投诉,物流,紧急,2026-03-08 03:00,,,,,2026-03-09,满意,,商家,\n".encode("gb18030"), header=3, enc=2)
put("tickets-zh-rows-utf8", TIC, "T1,O1,P1,M1,2026-03-08 02:30,APP,张三,投诉,物流,重大,2026-03-08 03:00,,,,,2026-03-09,4,,物流,2026-03-10\n".encode(), header=2)
put("tickets-bad-utf8", TIC, b"ticket_id,created_at,type,agent\nT1,2026-01-01,inquiry,\xe5\xbc\nT2,2026-01-01,inquiry,a\x00b\n", enc=1)
put("tickets-utf16", TIC, "ticket_id,created_at,type\n".encode("utf-16"))
put("tickets-dup-header", TIC, b"ticket_id,created_at,type,\xe5\xb7\xa5\xe5\x8d\x95\xe5\x8f\xb7\n")
put("tickets-semicolon", TIC, b"ticket_id;created_at;type\nT1;2026-01-01;inquiry\n")
put("empty", TIC, b"")
print(len(os.listdir(out)), "seeds in", out)
