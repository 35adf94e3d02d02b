"""web3.py (v7/v8) against `workbench serve rpc`: the real client library as the oracle.

Run by `make test-web3` (part of `make test`): reads the block number, chain id, accounts,
balances and a block, then sends a transaction and waits for the receipt of the block that
mined it. Also checks geth's HTTP behaviour that clients rely on (JSON-RPC errors ride on 200).
"""
import json
import sys
import urllib.request

from web3 import Web3

url = sys.argv[1]
w3 = Web3(Web3.HTTPProvider(url))

assert w3.is_connected(), "web3_clientVersion failed"
assert w3.eth.chain_id == 1337, w3.eth.chain_id
start = w3.eth.block_number
accounts = w3.eth.accounts
assert len(accounts) >= 2, accounts
for a in accounts:
    assert Web3.is_checksum_address(a), a

sender, recipient = accounts[0], accounts[1]
before_sender = w3.eth.get_balance(sender)
before_recipient = w3.eth.get_balance(recipient)
assert before_sender == Web3.to_wei(10, "ether"), before_sender

latest = w3.eth.get_block("latest")
assert latest["number"] == start
assert len(latest["hash"]) == 32
genesis = w3.eth.get_block(0, full_transactions=True)
assert genesis["transactions"][0]["to"] == sender

tx_hash = w3.eth.send_transaction({"from": sender, "to": recipient, "value": Web3.to_wei(3, "ether")})
receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30, poll_latency=0.1)
assert receipt["status"] == 1
assert receipt["blockNumber"] == start + 1, receipt
block = w3.eth.get_block(receipt["blockNumber"])
assert tx_hash in block["transactions"], (tx_hash, block["transactions"])
tx = w3.eth.get_transaction(tx_hash)
assert tx["from"] == sender and tx["to"] == recipient and tx["value"] == Web3.to_wei(3, "ether")
assert w3.eth.get_balance(recipient) == before_recipient + Web3.to_wei(3, "ether")
# The sender paid 3 and, as the miner of the block, earned the 10-coin subsidy.
assert w3.eth.get_balance(sender) == before_sender - Web3.to_wei(3, "ether") + Web3.to_wei(10, "ether")

# Insufficient funds is a JSON-RPC error, not a crash.
try:
    w3.eth.send_transaction({"from": recipient, "to": sender, "value": Web3.to_wei(1000, "ether")})
    raise AssertionError("overspend accepted")
except Exception as e:  # web3.exceptions.Web3RPCError
    assert "insufficient funds" in str(e), e

# Raw HTTP: a parse error rides on HTTP 200 with id null; a notification gets an empty 200.
def post(body, ctype="application/json"):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

status, body = post(b'{"jsonrpc":"2.0","method":')
assert status == 200 and json.loads(body)["error"]["code"] == -32700, (status, body)
status, body = post(b'{"jsonrpc":"2.0","method":"eth_blockNumber"}')
assert status == 200 and body == b"", (status, body)
status, body = post(b'{}', ctype="text/plain")
assert status == 415, status
print("web3 %s: block number, chain id, accounts, balances, blocks, send + receipt, errors: ok" % __import__("web3").__version__)
