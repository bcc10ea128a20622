"""The benchmark's peer: one boto3 process making a list of AWS calls one after another,
following every page, as a script would. Prints the seconds it took and the calls it made.

usage: peer_calls.py ENDPOINT CALLS.json
"""
import json
import sys
import time

import boto3
from botocore.config import Config


def main():
    endpoint, calls_file = sys.argv[1], sys.argv[2]
    with open(calls_file) as f:
        calls = json.load(f)
    config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
    clients = {}
    made = 0
    start = time.perf_counter()
    for call in calls:
        service = call["service"]
        if service not in clients:
            clients[service] = boto3.client(
                service,
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=config,
            )
        client = clients[service]
        operation = call["operation"]
        params = call.get("params", {})
        if client.can_paginate(operation):
            for _ in client.get_paginator(operation).paginate(**params):
                made += 1
        else:
            getattr(client, operation)(**params)
            made += 1
    print(json.dumps({"seconds": time.perf_counter() - start, "requests": made}))


if __name__ == "__main__":
    main()
